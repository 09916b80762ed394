import type { Shape } from '@modelport/core';
import type { OnnxGraphEmitter } from './graph-emitter.js';
import { onnxDType } from './onnx-dtype.js';
import { onnxAttr, type OnnxAttr } from './onnx-model.js';
import { normalizeAxis, permuteShape } from './shapes.js';
import { isStatic, type Value } from './value.js';

// Building blocks converters share. Each folds at export time when the contents are known.

const INTEGER_TRUNC: Readonly<Record<string, (x: number) => number>> = {
  int8: (x) => (Math.trunc(x) << 24) >> 24, int16: (x) => (Math.trunc(x) << 16) >> 16, int32: (x) => Math.trunc(x) | 0,
  int64: Math.trunc, uint8: (x) => Math.trunc(x) & 0xff, uint16: (x) => Math.trunc(x) & 0xffff, uint32: (x) => Math.trunc(x) >>> 0,
  bool: (x) => (x !== 0 ? 1 : 0),
};

export function cast(emit: OnnxGraphEmitter, v: Value, dtype: string): Value {
  if (v.dtype === dtype) return v;
  if (v.known && v.shape !== null && dtype !== 'string') {
    const f = INTEGER_TRUNC[dtype];
    const data = f ? v.known.map(f) : dtype === 'float32' ? Array.from(Float32Array.from(v.known)) : v.known;
    return emit.constant(dtype, v.shape, data);
  }
  return emit.op('Cast', [v], { to: onnxAttr.int(onnxDType(dtype)) }, { dtype, shape: v.shape });
}

export function toInt64(emit: OnnxGraphEmitter, v: Value): Value {
  return cast(emit, v, 'int64');
}

export function transpose(emit: OnnxGraphEmitter, v: Value, perm: readonly number[]): Value {
  return emit.op('Transpose', [v], { perm: onnxAttr.ints(perm) }, { dtype: v.dtype, shape: permuteShape(v.shape, perm) });
}

/** Inserts size-1 axes; `axes` are positions in the output. */
export function unsqueeze(emit: OnnxGraphEmitter, v: Value, axes: readonly number[]): Value {
  if (axes.length === 0) return v;
  const rank = (v.shape?.length ?? 0) + axes.length;
  const norm = axes.map((a) => normalizeAxis(a, rank)).sort((a, b) => a - b);
  let shape: number[] | null = null;
  if (v.shape !== null) {
    shape = [...v.shape];
    for (const a of norm) shape.splice(a, 0, 1);
  }
  if (v.known && shape) return emit.constant(v.dtype, shape, v.known);
  return emit.op('Unsqueeze', [v, emit.int64s(norm)], {}, { dtype: v.dtype, shape: v.shape === null ? null : shape });
}

export function squeeze(emit: OnnxGraphEmitter, v: Value, axes: readonly number[]): Value {
  if (axes.length === 0) return v;
  const rank = v.shape?.length ?? 0;
  const norm = axes.map((a) => normalizeAxis(a, rank));
  const shape = v.shape === null ? null : v.shape.filter((_, i) => !norm.includes(i));
  if (v.known && shape) return emit.constant(v.dtype, shape, v.known);
  return emit.op('Squeeze', [v, emit.int64s(norm)], {}, { dtype: v.dtype, shape });
}

/** Reshape to a shape known at export time (-1 once at most; 0 is a real zero). */
export function reshapeTo(emit: OnnxGraphEmitter, v: Value, target: readonly number[]): Value {
  const shape = resolveReshape(v.shape, target);
  if (v.known && isStatic(shape)) return emit.constant(v.dtype, shape, v.known);
  const attrs: Record<string, OnnxAttr> = target.includes(0) ? { allowzero: onnxAttr.int(1) } : {};
  return emit.op('Reshape', [v, emit.int64s(target)], attrs, { dtype: v.dtype, shape });
}

/** The shape a Reshape target gives, with -1 resolved when the element count is known. */
export function resolveReshape(input: Shape, target: readonly number[]): number[] {
  const free = target.indexOf(-1);
  if (free < 0 || input === null || input.some((d) => d < 0)) return [...target];
  const total = input.reduce((n, d) => n * d, 1);
  const rest = target.reduce((n, d, i) => (i === free ? n : n * d), 1);
  const out = [...target];
  out[free] = rest === 0 ? 0 : total / rest;
  return out;
}

/** The shape of `v` as an int64 vector: a constant when static. */
export function shapeOf(emit: OnnxGraphEmitter, v: Value): Value {
  if (isStatic(v.shape)) return emit.int64s(v.shape!);
  const rank = v.shape === null ? -1 : v.shape.length;
  return emit.op('Shape', [v], {}, { dtype: 'int64', shape: [rank] });
}

export function concat(emit: OnnxGraphEmitter, vs: readonly Value[], axis: number, dtype = vs[0]!.dtype): Value {
  if (vs.length === 1) return vs[0]!;
  const rank = vs.find((v) => v.shape !== null)?.shape?.length;
  let shape: number[] | null = null;
  if (rank !== undefined && vs.every((v) => v.shape !== null)) {
    const a = normalizeAxis(axis, rank);
    shape = [...vs[0]!.shape!];
    shape[a] = vs.reduce((n, v) => (n < 0 || v.shape![a]! < 0 ? -1 : n + v.shape![a]!), 0);
    for (let i = 0; i < rank; i++) if (i !== a && shape[i] === -1) shape[i] = vs.map((v) => v.shape![i]!).find((d) => d >= 0) ?? -1;
  }
  if (rank === 1 && vs.every((v) => v.known)) return emit.constant(dtype, shape!, vs.flatMap((v) => v.known!));
  return emit.op('Concat', vs, { axis: onnxAttr.int(axis) }, { dtype, shape });
}

/** Slice with constant starts/ends/axes/steps. */
export function sliceConst(emit: OnnxGraphEmitter, v: Value, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps?: readonly number[], shape?: Shape): Value {
  if (v.known && v.shape?.length === 1 && axes.length === 1) return foldSlice1d(emit, v, starts[0]!, ends[0]!, steps?.[0] ?? 1);
  const inputs = [v, emit.int64s(starts), emit.int64s(ends), emit.int64s(axes), ...(steps ? [emit.int64s(steps)] : [])];
  return emit.op('Slice', inputs, {}, { dtype: v.dtype, shape: shape ?? sliceShape(v.shape, starts, ends, axes, steps) });
}

/** The shape of a Slice with constant parameters, per ONNX clamping rules. */
export function sliceShape(input: Shape, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps?: readonly number[]): Shape {
  if (input === null) return null;
  const out = [...input];
  axes.forEach((ax, i) => {
    const a = normalizeAxis(ax, input.length);
    const dim = input[a]!;
    if (dim < 0) { out[a] = -1; return; }
    const step = steps?.[i] ?? 1;
    const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
    let s = starts[i]!, e = ends[i]!;
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (step > 0) { s = clamp(s, 0, dim); e = clamp(e, 0, dim); out[a] = Math.max(0, Math.ceil((e - s) / step)); }
    else { s = clamp(s, -1, dim - 1); e = clamp(e, -1, dim - 1); out[a] = Math.max(0, Math.ceil((e - s) / step)); }
  });
  return out;
}

/** A scalar int64 index as a rank-1 tensor, folded when known. */
export function constOrCastInt64Vector(emit: OnnxGraphEmitter, v: Value): Value {
  const x = toInt64(emit, v);
  return x.shape?.length === 0 ? unsqueeze(emit, x, [0]) : x;
}

// A 1-D slice of known contents (shape vectors), computed now.
function foldSlice1d(emit: OnnxGraphEmitter, v: Value, start: number, end: number, step: number): Value {
  const dim = v.known!.length;
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  const out: number[] = [];
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim); e = Math.min(Math.max(e, 0), dim);
    for (let i = s; i < e; i += step) out.push(v.known![i]!);
  } else {
    s = Math.min(Math.max(s, -1), dim - 1); e = Math.min(Math.max(e, -1), dim - 1);
    for (let i = s; i > e; i += step) out.push(v.known![i]!);
  }
  return emit.constant(v.dtype, [out.length], out);
}
