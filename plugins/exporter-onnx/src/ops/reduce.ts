import { attr } from '@modelport/core';
import type { ConversionContext, OnnxOpConverter, OnnxOpTable } from '../converter.js';
import { cast, squeeze } from '../emit-ops.js';
import { toChannelsFirst, toChannelsLast } from '../layout.js';
import { computeDType } from '../onnx-dtype.js';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import { onnxAttr } from '../onnx-model.js';
import { normalizeAxis } from '../shapes.js';
import type { Value } from '../value.js';

/**
 * A Reduce* node. ReduceSum takes its axes as an input since opset 13, the others since opset 18;
 * before that they are an attribute.
 */
export function reduce(emit: OnnxGraphEmitter, onnxOp: string, x: Value, axes: readonly number[], keepDims: boolean, dtype = x.dtype): Value {
  const rank = x.shape?.length;
  const norm = rank === undefined ? [...axes] : axes.map((a) => normalizeAxis(a, rank));
  const shape = x.shape === null ? null
    : keepDims ? x.shape.map((d, i) => (norm.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !norm.includes(i));
  const axesAsInput = onnxOp === 'ReduceSum' || emit.opset >= 18;
  const inputs = axesAsInput ? [x, emit.int64s(norm)] : [x];
  const attrs = { keepdims: onnxAttr.int(keepDims ? 1 : 0), ...(axesAsInput ? {} : { axes: onnxAttr.ints(norm) }) };
  return emit.op(onnxOp, inputs, attrs, { dtype, shape });
}

/**
 * An int8 Mean over the spatial axes of an NHWC tensor, as GlobalAveragePool: onnxruntime fuses
 * DQ → GlobalAveragePool → Q into QLinearGlobalAveragePool, where DQ → ReduceMean → Q stays float.
 */
function int8GlobalMean(ctx: ConversionContext, x: Value, axes: readonly number[], keep: boolean): Value | undefined {
  if (ctx.node.quantized !== 'int8' || x.shape?.length !== 4) return undefined;
  const norm = axes.map((a) => normalizeAxis(a, 4)).sort();
  if (norm.length !== 2 || norm[0] !== 1 || norm[1] !== 2) return undefined;
  const [n, , , c] = x.shape;
  const pooled = ctx.emit.op('GlobalAveragePool', [toChannelsFirst(ctx.emit, x)], {}, { dtype: x.dtype, shape: [n!, c!, 1, 1] });
  const y = toChannelsLast(ctx.emit, pooled);
  return keep ? y : squeeze(ctx.emit, y, [1, 2]);
}

function reduction(onnxOp: string, viaInt = false): OnnxOpConverter {
  return (ctx: ConversionContext) => {
    const x = ctx.input(0);
    const axes = ctx.known(1, 'reduction axes');
    // TF reduces over nothing for empty axes; ONNX would reduce over everything.
    if (axes.length === 0) return x;
    const keep = attr.bool(ctx.node, 'keep_dims', false);
    if (onnxOp === 'ReduceMean') {
      const pooled = int8GlobalMean(ctx, x, axes, keep);
      if (pooled) return pooled;
    }
    if (!viaInt) return reduce(ctx.emit, onnxOp, x, axes, keep);
    // All / Any: runtimes reduce numbers, not bools.
    const r = reduce(ctx.emit, onnxOp, cast(ctx.emit, x, 'int32'), axes, keep);
    return cast(ctx.emit, r, 'bool');
  };
}

function argReduce(onnxOp: 'ArgMax' | 'ArgMin'): OnnxOpConverter {
  return (ctx) => {
    const x = ctx.input(0);
    const [axis] = ctx.known(1, 'dimension');
    const rank = x.shape?.length;
    const a = rank === undefined ? axis! : normalizeAxis(axis!, rank);
    const shape = x.shape === null ? null : x.shape.filter((_, i) => i !== a);
    const y = ctx.emit.op(onnxOp, [x], { axis: onnxAttr.int(a), keepdims: onnxAttr.int(0) }, { dtype: 'int64', shape });
    return cast(ctx.emit, y, computeDType(attr.dtype(ctx.node, 'output_type', 'int64')));
  };
}

export const reduceOps: OnnxOpTable = {
  Mean: reduction('ReduceMean'),
  Sum: reduction('ReduceSum'),
  Max: reduction('ReduceMax'),
  Min: reduction('ReduceMin'),
  Prod: reduction('ReduceProd'),
  All: reduction('ReduceMin', true),
  Any: reduction('ReduceMax', true),
  ArgMax: argReduce('ArgMax'),
  ArgMin: argReduce('ArgMin'),
};
