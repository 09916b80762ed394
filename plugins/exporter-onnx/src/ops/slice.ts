import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { sliceConst, sliceShape, squeeze, toInt64, unsqueeze } from '../emit-ops.js';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import type { Value } from '../value.js';

/** "To the end" for ONNX Slice: runtimes clamp it to the axis. */
const MAX = 2 ** 62;

const bit = (mask: number, i: number) => ((mask >> i) & 1) === 1;

/** A StridedSlice read into ONNX terms: one Slice over input axes, then Squeeze, then Unsqueeze. */
interface SlicePlan {
  readonly starts: number[];
  readonly ends: number[];
  readonly axes: number[];
  readonly steps: number[];
  /** Input axes taken by shrink_axis_mask, removed after slicing. */
  readonly shrink: number[];
  /** Positions in the output of new_axis_mask axes. */
  readonly newAxes: number[];
}

/**
 * Expands the masks the way TensorFlow does: the ellipsis stands for the axes no spec names, a
 * new axis consumes no input axis, a shrunk axis is sliced to [b, b + 1) and removed (b = −1
 * slices to the end), begin_mask/end_mask mean "from the start"/"to the end" in the stride's
 * direction, and unnamed trailing axes are kept whole.
 */
function planStridedSlice(ctx: ConversionContext, rank: number, begin: readonly number[], end: readonly number[], strides: readonly number[]): SlicePlan {
  const masks = ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((m) => attr.int(ctx.node, m, 0));
  const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask] = masks as [number, number, number, number, number];
  const n = begin.length;
  if (end.length !== n || strides.length !== n) throw ctx.fail(`begin, end and strides differ in length (${n}, ${end.length}, ${strides.length})`);
  const ellipsis = Array.from({ length: n }, (_, i) => i).filter((i) => bit(ellipsisMask, i));
  if (ellipsis.length > 1) throw ctx.fail('more than one ellipsis in ellipsis_mask');
  const consumed = Array.from({ length: n }, (_, i) => i).filter((i) => !bit(newAxisMask, i) && !bit(ellipsisMask, i)).length;
  if (consumed > rank) throw ctx.fail(`slices ${consumed} axes of a rank-${rank} tensor`);
  const plan: SlicePlan = { starts: [], ends: [], axes: [], steps: [], shrink: [], newAxes: [] };
  let axis = 0, out = 0;
  for (let i = 0; i < n; i++) {
    if (bit(ellipsisMask, i)) { const k = rank - consumed; axis += k; out += k; continue; }
    if (bit(newAxisMask, i)) { plan.newAxes.push(out++); continue; }
    const s = strides[i]!;
    if (s === 0) throw ctx.fail(`stride 0 on axis ${i}`);
    if (bit(shrinkMask, i)) {
      const b = begin[i]!;
      plan.starts.push(b); plan.ends.push(b === -1 ? MAX : b + 1); plan.steps.push(1); plan.axes.push(axis); plan.shrink.push(axis);
      axis++;
      continue;
    }
    const b = bit(beginMask, i) ? (s > 0 ? 0 : MAX) : begin[i]!;
    const e = bit(endMask, i) ? (s > 0 ? MAX : -MAX) : end[i]!;
    if (!(b === 0 && e === MAX && s === 1)) { plan.starts.push(b); plan.ends.push(e); plan.steps.push(s); plan.axes.push(axis); }
    axis++; out++;
  }
  return plan;
}

function applyPlan(emit: OnnxGraphEmitter, x: Value, plan: SlicePlan): Value {
  const stepsNeeded = plan.steps.some((s) => s !== 1);
  const sliced = plan.axes.length ? sliceConst(emit, x, plan.starts, plan.ends, plan.axes, stepsNeeded ? plan.steps : undefined) : x;
  return unsqueeze(emit, squeeze(emit, sliced, plan.shrink), plan.newAxes);
}

function stridedSlice(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const rank = x.shape?.length;
  if (rank === undefined) throw ctx.fail('StridedSlice needs an input of known rank');
  const strides = ctx.known(3, 'strides');
  const [begin, end] = [ctx.input(1), ctx.input(2)];
  if (begin.known && end.known) return applyPlan(ctx.emit, x, planStridedSlice(ctx, rank, begin.known, end.known, strides));
  return dynamicStridedSlice(ctx, x, rank, strides);
}

/**
 * begin/end computed at run time (loop bodies): supported without ellipsis and new axes, where
 * spec i is input axis i. Masks choose, per axis, between the computed value and the full range.
 */
function dynamicStridedSlice(ctx: ConversionContext, x: Value, rank: number, strides: readonly number[]): Value {
  const e = ctx.emit;
  const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask] = ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((m) => attr.int(ctx.node, m, 0)) as [number, number, number, number, number];
  if (ellipsisMask || newAxisMask) throw new UnsupportedVariant('StridedSlice with ellipsis or new axes and begin/end unknown at export time');
  const n = strides.length;
  if (n > rank) throw ctx.fail(`slices ${n} axes of a rank-${rank} tensor`);
  const begin = toInt64(e, ctx.input(1));
  const end = toInt64(e, ctx.input(2));
  const bits = (mask: number) => e.constant('bool', [n], Array.from({ length: n }, (_, i) => +bit(mask, i)));
  const vec = (f: (i: number) => number) => e.int64s(Array.from({ length: n }, (_, i) => f(i)));
  const where = (c: Value, a: Value, b: Value) => e.op('Where', [c, a, b], {}, { dtype: 'int64', shape: [n] });
  const starts = where(bits(beginMask & ~shrinkMask), vec((i) => (strides[i]! > 0 ? 0 : MAX)), begin);
  const afterBegin = e.op('Add', [begin, e.int64Scalar(1)], {}, { dtype: 'int64', shape: [n] });
  const isLast = e.op('Equal', [begin, e.int64Scalar(-1)], {}, { dtype: 'bool', shape: [n] });
  const shrinkEnd = where(isLast, vec(() => MAX), afterBegin);
  const ends = where(bits(shrinkMask), shrinkEnd, where(bits(endMask), vec((i) => (strides[i]! > 0 ? MAX : -MAX)), end));
  const steps = vec((i) => (bit(shrinkMask, i) ? 1 : strides[i]!));
  const shape = x.shape!.map((d, i) => (i < n ? -1 : d));
  const sliced = e.op('Slice', [x, starts, ends, vec((i) => i), steps], {}, { dtype: x.dtype, shape });
  return squeeze(e, sliced, Array.from({ length: n }, (_, i) => i).filter((i) => bit(shrinkMask, i)));
}

/** TF Slice: begin and size, size −1 meaning "to the end". */
function slice(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const [begin, size] = [ctx.input(1), ctx.input(2)];
  const e = ctx.emit;
  if (begin.known && size.known) {
    const b = begin.known, s = size.known;
    const ends = s.map((n, i) => (n === -1 ? MAX : b[i]! + n));
    const axes = b.map((_, i) => i);
    return sliceConst(e, x, b, ends, axes, undefined, sliceShape(x.shape, b, ends, axes));
  }
  const n = begin.shape?.[0] ?? x.shape?.length;
  if (n === undefined || n < 0) throw ctx.fail('Slice needs begin of known length');
  const b64 = toInt64(e, begin), s64 = toInt64(e, size);
  const full = e.op('Equal', [s64, e.int64Scalar(-1)], {}, { dtype: 'bool', shape: [n] });
  const sum = e.op('Add', [b64, s64], {}, { dtype: 'int64', shape: [n] });
  const ends = e.op('Where', [full, e.int64s(new Array(n).fill(MAX)), sum], {}, { dtype: 'int64', shape: [n] });
  const shape = x.shape === null ? null : x.shape.map((d, i) => (i < n ? (size.known?.[i] ?? -1) : d));
  return e.op('Slice', [x, b64, ends, e.int64s(Array.from({ length: n }, (_, i) => i))], {}, { dtype: x.dtype, shape });
}

export const sliceOps: OnnxOpTable = {
  StridedSlice: stridedSlice,
  Slice: slice,
};
