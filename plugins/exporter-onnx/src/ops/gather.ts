import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { toInt64 } from '../emit-ops.js';
import { onnxAttr } from '../onnx-model.js';
import { normalizeAxis } from '../shapes.js';
import { staticShape, type Value } from '../value.js';

/** Gather along one axis; a known vector indexed by known indices (shape arithmetic) is folded. */
function gather(ctx: ConversionContext, axis: number): Value {
  const [params, indices] = [ctx.input(0), ctx.input(1)];
  const rank = params.shape?.length;
  const a = rank === undefined ? axis : normalizeAxis(axis, rank);
  const indexShape = staticShape(indices.shape);
  if (params.known && rank === 1 && indices.known && indexShape) {
    const n = params.known.length;
    const values = indices.known.map((i) => {
      if (i < 0 || i >= n) throw ctx.fail(`index ${i} is out of range [0, ${n})`);
      return params.known![i]!;
    });
    return ctx.emit.constant(params.dtype, indexShape, values);
  }
  const shape = params.shape === null || indices.shape === null ? null
    : [...params.shape.slice(0, a), ...indices.shape, ...params.shape.slice(a + 1)];
  return ctx.emit.op('Gather', [params, indices], { axis: onnxAttr.int(a) }, { dtype: params.dtype, shape });
}

function gatherV2(ctx: ConversionContext): Value {
  const batchDims = attr.int(ctx.node, 'batch_dims', 0);
  if (batchDims !== 0) throw new UnsupportedVariant(`batch_dims=${batchDims}`);
  const [axis] = ctx.known(2, 'axis');
  return gather(ctx, axis!);
}

/** GatherNd: ONNX GatherND with int64 indices (TF takes int32 too). */
function gatherNd(ctx: ConversionContext): Value {
  const [params, indices] = [ctx.input(0), ctx.input(1)];
  const k = indices.shape?.[indices.shape.length - 1];
  const shape = params.shape === null || indices.shape === null || k === undefined || k < 0 ? null
    : [...indices.shape.slice(0, -1), ...params.shape.slice(k)];
  return ctx.emit.op('GatherND', [params, toInt64(ctx.emit, indices)], {}, { dtype: params.dtype, shape });
}

export const gatherOps: OnnxOpTable = {
  GatherV2: gatherV2,
  Gather: (ctx) => gather(ctx, 0),
  ResourceGather: (ctx) => gather(ctx, 0),
  GatherNd: gatherNd,
};
