import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import { reshapeTo } from './helpers.js';

interface AxisSlice { begin: number; end: number; stride: number; toStart: boolean }

/**
 * TensorFlow's strided-slice spec (masks, ellipsis, new and shrunk axes) resolved against the static
 * input shape into one explicit slice per input axis. `toStart` marks a negative-stride slice that
 * runs through index 0, which TFLite can only say with its end mask.
 */
export function resolveStridedSlice(shape: readonly number[], begin: number[], end: number[], strides: number[], masks: {
  begin: number; end: number; ellipsis: number; newAxis: number; shrink: number;
}): AxisSlice[] {
  const rank = shape.length;
  const n = begin.length;
  const out: AxisSlice[] = [];
  const full = (d: number): AxisSlice => ({ begin: 0, end: d, stride: 1, toStart: false });
  let axis = 0;
  let sawEllipsis = false;
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    if (masks.ellipsis & bit) {
      sawEllipsis = true;
      let newAfter = 0;
      for (let k = i + 1; k < n; k++) if (masks.newAxis & (1 << k)) newAfter++;
      const next = Math.min(rank - (n - i) + 1 + newAfter, rank);
      for (; axis < next; axis++) out.push(full(shape[axis]!));
      continue;
    }
    if (masks.newAxis & bit) continue;
    const d = shape[axis]!;
    const s = strides[i] ?? 1;
    if (masks.shrink & bit) {
      const b = begin[i]! < 0 ? begin[i]! + d : begin[i]!;
      out.push({ begin: b, end: b + 1, stride: 1, toStart: false });
    } else {
      const clamp = (v: number) => (s > 0 ? Math.min(Math.max(v, 0), d) : Math.min(Math.max(v, -1), d - 1));
      const b = masks.begin & bit ? (s > 0 ? 0 : d - 1) : clamp(begin[i]! < 0 ? begin[i]! + d : begin[i]!);
      const e = masks.end & bit ? (s > 0 ? d : -1) : clamp(end[i]! < 0 ? end[i]! + d : end[i]!);
      out.push({ begin: b, end: e, stride: s, toStart: s < 0 && e === -1 });
    }
    axis++;
  }
  if (!sawEllipsis) for (; axis < rank; axis++) out.push(full(shape[axis]!));
  return out;
}

/**
 * StridedSlice as a STRIDED_SLICE over every input axis without masks, then a RESHAPE for shrunk and
 * new axes. Sized at run time, or with begin/end/strides computed at run time, the masks go to the
 * kernel as they are: the static shape is not the one the slice will see, or the slice is not known.
 */
const stridedSlice: TfliteOpConverter = (c) => {
  const x = c.input(0);
  const masks = {
    begin: attr.int(c.node, 'begin_mask', 0), end: attr.int(c.node, 'end_mask', 0), ellipsis: attr.int(c.node, 'ellipsis_mask', 0),
    newAxis: attr.int(c.node, 'new_axis_mask', 0), shrink: attr.int(c.node, 'shrink_axis_mask', 0),
  };
  if (c.out().dynamic || c.facts(0).dynamic || [1, 2, 3].some((i) => c.value(i) === undefined)) {
    return c.emit('STRIDED_SLICE', [x, c.intArgument(1, 'begin'), c.intArgument(2, 'end'), c.intArgument(3, 'strides')], options('StridedSliceOptions', {
      begin_mask: masks.begin, end_mask: masks.end, ellipsis_mask: masks.ellipsis, new_axis_mask: masks.newAxis, shrink_axis_mask: masks.shrink,
    }));
  }
  const slices = resolveStridedSlice(x.shape, c.ints(1, 'begin'), c.ints(2, 'end'), c.ints(3, 'strides'), masks);
  const sliced = slices.map((s) => Math.max(0, Math.ceil((s.end - s.begin) / s.stride)));
  const out = c.out();
  const whole = slices.every((s, i) => s.begin === 0 && s.stride === 1 && s.end === x.shape[i]);
  if (whole) return out.shape.join() === x.shape.join() ? x : reshapeTo(c, x, out.shape);
  const endMask = slices.reduce((m, s, i) => (s.toStart ? m | (1 << i) : m), 0);
  const int32 = (name: string, values: number[]) => c.constant(name, 'int32', [values.length], Int32Array.from(values));
  const inputs = [x, int32('begin', slices.map((s) => s.begin)), int32('end', slices.map((s) => (s.toStart ? 0 : s.end))), int32('strides', slices.map((s) => s.stride))];
  const opts = options('StridedSliceOptions', { end_mask: endMask });
  if (sliced.join() === out.shape.join()) return c.emit('STRIDED_SLICE', inputs, opts);
  return reshapeTo(c, c.emitTemp('STRIDED_SLICE', inputs, x.dtype, sliced, opts), out.shape);
};

/** Slice(x, begin, size) with size -1 resolved from the output shape (left to the kernel when sized or given at run time). */
const slice: TfliteOpConverter = (c: TfliteConversion) => {
  const x = c.input(0);
  if (c.out().dynamic || c.facts(0).dynamic || c.value(1) === undefined || c.value(2) === undefined) return c.emit('SLICE', [x, c.intArgument(1, 'begin'), c.intArgument(2, 'size')]);
  const begin = c.ints(1, 'begin').map((b, i) => (b < 0 ? b + x.shape[i]! : b));
  const size = [...c.out().shape];
  const int32 = (name: string, values: number[]) => c.constant(name, 'int32', [values.length], Int32Array.from(values));
  return c.emit('SLICE', [x, int32('begin', begin), int32('size', size)]);
};

export const sliceOps: TfliteOpTable = {
  StridedSlice: stridedSlice,
  Slice: slice,
};
