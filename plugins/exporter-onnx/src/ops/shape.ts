import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { cast, concat, reshapeTo, squeeze, toInt64, transpose, unsqueeze } from '../emit-ops.js';
import { coerce, FOLD_LIMIT } from '../fold.js';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import { onnxAttr } from '../onnx-model.js';
import { computeDType } from '../onnx-dtype.js';
import { knownSize, normalizeAxis } from '../shapes.js';
import { sizeOf, staticShape, type Value } from '../value.js';

function reshape(ctx: ConversionContext): Value {
  const [x, target] = [ctx.input(0), ctx.input(1)];
  if (target.known) {
    const t = target.known;
    const n = knownSize(x.shape);
    const rest = t.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (n >= 0 && !t.includes(-1) && rest !== n) throw ctx.fail(`cannot reshape ${n} elements of [${x.shape}] to [${t}]`);
    if (n >= 0 && t.includes(-1) && rest > 0 && n % rest !== 0) throw ctx.fail(`cannot reshape ${n} elements of [${x.shape}] to [${t}]`);
    return reshapeTo(ctx.emit, x, t);
  }
  const len = target.shape?.[0] ?? -1;
  const shape = len >= 0 ? new Array<number>(len).fill(-1) : null;
  // allowzero stays 0: a computed target holds real sizes, and TF never means "copy" by 0.
  return ctx.emit.op('Reshape', [x, toInt64(ctx.emit, target)], {}, { dtype: x.dtype, shape });
}

function squeezeOp(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  let axes = attr.ints(ctx.node, 'squeeze_dims', attr.ints(ctx.node, 'axis', []));
  if (axes.length === 0) {
    // "all size-1 axes" needs the shape now: ONNX's Squeeze without axes would decide at run time.
    const s = staticShape(x.shape);
    // Unknown sizes: ONNX's Squeeze without axes drops the size-1 axes at run time, as TF does.
    if (!s) return ctx.emit.op('Squeeze', [x], {}, { dtype: x.dtype, shape: x.shape?.every((d) => d !== 1) ? x.shape : null });
    axes = s.flatMap((d, i) => (d === 1 ? [i] : []));
  }
  const rank = x.shape?.length;
  if (rank !== undefined) for (const a of axes) {
    const d = x.shape![normalizeAxis(a, rank)];
    if (d === undefined || (d >= 0 && d !== 1)) throw ctx.fail(`cannot squeeze axis ${a} of shape [${x.shape}]`);
  }
  return squeeze(ctx.emit, x, axes);
}

function expandDims(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const [axis] = ctx.known(1, 'dim');
  const rank = x.shape?.length;
  return unsqueeze(ctx.emit, x, [rank === undefined ? axis! : normalizeAxis(axis!, rank + 1)]);
}

function transposeOp(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const perm = ctx.known(1, 'perm');
  if (x.shape !== null && perm.length !== x.shape.length) throw ctx.fail(`perm [${perm}] does not fit rank ${x.shape.length}`);
  return transpose(ctx.emit, x, perm);
}

function pack(ctx: ConversionContext): Value {
  const xs = ctx.inputs;
  const rank = xs[0]!.shape?.length;
  const axis = attr.int(ctx.node, 'axis', 0);
  const a = rank === undefined ? axis : normalizeAxis(axis, rank + 1);
  if (rank === 0 && xs.every((x) => x.known)) return ctx.emit.constant(xs[0]!.dtype, [xs.length], xs.map((x) => x.known![0]!));
  return concat(ctx.emit, xs.map((x) => unsqueeze(ctx.emit, x, [a])), a);
}

/** Splits `x` along `axis` into pieces of `sizes` (equal pieces when the axis size is unknown). */
export function split(emit: OnnxGraphEmitter, x: Value, axis: number, count: number, sizes?: readonly number[]): Value[] {
  const rank = x.shape?.length;
  const a = rank === undefined ? axis : normalizeAxis(axis, rank);
  const dim = x.shape?.[a] ?? -1;
  const parts = sizes ?? (dim >= 0 ? new Array<number>(count).fill(dim / count) : undefined);
  const outs = Array.from({ length: count }, (_, i) => ({
    dtype: x.dtype, shape: x.shape === null ? null : x.shape.map((d, k) => (k === a ? parts?.[i] ?? -1 : d)),
  }));
  if (count === 1) return [x];
  const inputs = parts ? [x, emit.int64s(parts)] : [x];
  // Opset 18 wants num_outputs when the sizes are not given.
  const attrs = { axis: onnxAttr.int(a), ...(!parts && emit.opset >= 18 ? { num_outputs: onnxAttr.int(count) } : {}) };
  return emit.ops('Split', inputs, attrs, outs);
}

function unpack(ctx: ConversionContext): Value[] {
  const x = ctx.input(0);
  const rank = x.shape?.length;
  const axis = attr.int(ctx.node, 'axis', 0);
  const a = rank === undefined ? axis : normalizeAxis(axis, rank);
  const num = attr.int(ctx.node, 'num', x.shape?.[a] ?? -1);
  if (num < 0) throw ctx.fail('Unpack needs `num` or a known size along its axis');
  if (num === 1) return [squeeze(ctx.emit, x, [a])];
  return split(ctx.emit, x, a, num).map((p) => squeeze(ctx.emit, p, [a]));
}

function concatV2(ctx: ConversionContext, axisFirst: boolean): Value {
  const values = axisFirst ? ctx.inputs.slice(1) : ctx.inputs.slice(0, -1);
  const [axis] = ctx.known(axisFirst ? 0 : ctx.inputs.length - 1, 'axis');
  const rank = values.find((v) => v.shape !== null)?.shape?.length;
  // Empty inputs are legal in TF and common in generated graphs: ONNX accepts them as well.
  return concat(ctx.emit, values, rank === undefined ? axis! : normalizeAxis(axis!, rank));
}

function splitOp(ctx: ConversionContext): Value[] {
  const [axis] = ctx.known(0, 'split_dim');
  return split(ctx.emit, ctx.input(1), axis!, attr.int(ctx.node, 'num_split'));
}

function splitV(ctx: ConversionContext): Value[] {
  const x = ctx.input(0);
  const sizes = [...ctx.known(1, 'size_splits')];
  const [axis] = ctx.known(2, 'split_dim');
  const rank = x.shape?.length;
  const a = rank === undefined ? axis! : normalizeAxis(axis!, rank);
  const free = sizes.indexOf(-1);
  if (free >= 0) {
    const dim = x.shape?.[a] ?? -1;
    if (dim < 0) throw new UnsupportedVariant('SplitV with a -1 size along an axis of unknown size');
    sizes[free] = dim - sizes.reduce((n, s, i) => (i === free ? n : n + s), 0);
  }
  return split(ctx.emit, x, a, sizes.length, sizes);
}

function tile(ctx: ConversionContext): Value {
  const [x, multiples] = [ctx.input(0), ctx.input(1)];
  const m = multiples.known;
  const shape = x.shape === null ? null : x.shape.map((d, i) => (m && d >= 0 ? d * m[i]! : -1));
  return ctx.emit.op('Tile', [x, toInt64(ctx.emit, multiples)], {}, { dtype: x.dtype, shape });
}

/** Fill and BroadcastTo: Expand broadcasts a value to a shape. */
function expandTo(ctx: ConversionContext, x: Value, dims: Value): Value {
  const d = dims.known;
  if (d && x.known && x.known.length === 1 && sizeOf(d) <= FOLD_LIMIT) return ctx.emit.constant(x.dtype, d, new Array(sizeOf(d)).fill(x.known[0]));
  const len = dims.shape?.[0] ?? -1;
  const shape = d ? [...d] : len >= 0 ? new Array<number>(len).fill(-1) : null;
  return ctx.emit.op('Expand', [x, toInt64(ctx.emit, dims)], {}, { dtype: x.dtype, shape });
}

function shapeOp(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const outType = computeDType(attr.dtype(ctx.node, 'out_type', 'int32'));
  const s = staticShape(x.shape);
  if (s) return ctx.emit.constant(outType, [s.length], s);
  const dynamic = ctx.emit.op('Shape', [x], {}, { dtype: 'int64', shape: [x.shape?.length ?? -1] });
  return cast(ctx.emit, dynamic, outType);
}

function size(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const outType = computeDType(attr.dtype(ctx.node, 'out_type', 'int32'));
  const s = staticShape(x.shape);
  if (s) return ctx.emit.constant(outType, [], [sizeOf(s)]);
  return cast(ctx.emit, ctx.emit.op('Size', [x], {}, { dtype: 'int64', shape: [] }), outType);
}

function rank(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  if (x.shape !== null) return ctx.emit.constant('int32', [], [x.shape.length]);
  const s = ctx.emit.op('Shape', [x], {}, { dtype: 'int64', shape: [-1] });
  return cast(ctx.emit, ctx.emit.op('Size', [s], {}, { dtype: 'int64', shape: [] }), 'int32');
}

function range(ctx: ConversionContext): Value {
  const [start, limit, delta] = [ctx.input(0), ctx.input(1), ctx.input(2)];
  const dtype = computeDType(attr.dtype(ctx.node, 'Tidx', start.dtype));
  if (start.known && limit.known && delta.known) {
    const [s, l, d] = [start.known[0]!, limit.known[0]!, delta.known[0]!];
    const n = Math.max(0, Math.ceil((l - s) / d));
    if (n <= FOLD_LIMIT) return ctx.emit.constant(dtype, [n], Array.from({ length: n }, (_, i) => coerce(dtype, s + i * d)));
  }
  const args = [start, limit, delta].map((v) => cast(ctx.emit, v, dtype));
  const iota = start.known?.[0] === 0 && delta.known?.[0] === 1;
  return ctx.emit.op('Range', args, {}, { dtype, shape: [-1], ...(iota ? { iota } : {}) });
}

export const shapeOps: OnnxOpTable = {
  Reshape: reshape,
  Squeeze: squeezeOp,
  ExpandDims: expandDims,
  Transpose: transposeOp,
  Pack: pack,
  Unpack: unpack,
  ConcatV2: (ctx) => concatV2(ctx, false),
  Concat: (ctx) => concatV2(ctx, true),
  Split: splitOp,
  SplitV: splitV,
  Tile: tile,
  Fill: (ctx) => expandTo(ctx, ctx.input(1), ctx.input(0)),
  BroadcastTo: (ctx) => expandTo(ctx, ctx.input(0), ctx.input(1)),
  Shape: shapeOp,
  Size: size,
  Rank: rank,
  Range: range,
};
