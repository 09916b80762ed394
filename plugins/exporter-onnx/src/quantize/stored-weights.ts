import { float32ToFloat16Array, quantizeValues, type ConstantTensor, type Quantization, type TypedArray } from '@modelport/core';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import { onnxAttr, type OnnxAttr } from '../onnx-model.js';
import { transposeData } from '../tensor-math.js';
import type { Value } from '../value.js';

/**
 * A weight the file stores in another type than the float32 the graph computes in: float16 read
 * through a Cast, or integers (int8, uint8, int32 bias) read through a DequantizeLinear. Converters
 * that move a weight's axes (HWIO → OIHW, a transposed matrix) rewrite the stored tensor at export
 * time and map the quantization axis, so that no Transpose or Reshape sits between the
 * DequantizeLinear and its consumer: onnxruntime fuses DQ → Conv → Q only when they are adjacent.
 */
export interface StoredWeight {
  /** The initializer as stored. */
  readonly stored: Value;
  /**
   * How the float value is read: Cast (float16), DequantizeLinear (what int8 nodes fuse with), or
   * Cast and Mul by the scale (integers only float nodes read, zero point 0).
   */
  readonly kind: 'cast' | 'dequantize' | 'scale';
  readonly scale?: Value;
  readonly zeroPoint?: Value;
  /** The quantization axis of `stored`, when per axis. */
  readonly axis?: number;
  /** Per-axis scales and zero points, to rebuild them when a reshape repeats channels. */
  readonly scales?: readonly number[];
  readonly zeroPoints?: readonly number[];
}

/** Whether `q` is per axis for a tensor of `shape` (a single scale is per tensor, axis or not). */
export function isPerAxis(q: Quantization, shape: readonly number[]): boolean {
  return q.axis !== undefined && q.scale.length > 1 && shape[q.axis] === q.scale.length;
}

/**
 * The stored form of an annotated Const and the float value that reads it. `onlyFloatReaders`: no
 * int8 node reads it (dynamic mode, a node kept float). Such integers are read by Cast and Mul,
 * which onnxruntime folds into a float32 initializer when the session loads; a DequantizeLinear
 * of a weight is not folded and runs on every call: dynamic convnet 64×64 0.42 ms with DQ,
 * 0.22 ms with Cast + Mul, float 0.19 ms; 128×128: 4.25, 2.58 and 2.77 ms (1 thread).
 */
export function storeAnnotatedConstant(emit: OnnxGraphEmitter, name: string, c: ConstantTensor, q: Quantization, onlyFloatReaders = false): Value {
  if (q.dtype === 'float16') {
    // float16 initializer + Cast to float32: onnxruntime folds the Cast when the session loads and
    // runs the very graph it runs for the float32 file (checked on a small convnet: same optimised
    // ops, same latency within noise, half the file). Computing in float16 instead would need a
    // Cast around each op whose CPU kernel has no float16 version, which is most of them.
    const half = emit.constant('float16', c.shape, float32ToFloat16Array(c.values as Float32Array), name);
    return decodeStored(emit, { stored: half, kind: 'cast' });
  }
  const dtype = q.dtype ?? 'int8';
  const ints = quantizeValues(c.values as ArrayLike<number>, c.shape, q);
  const stored = emit.constant(dtype, c.shape, ints as TypedArray, name);
  const perAxis = isPerAxis(q, c.shape);
  const scales = perAxis ? q.scale : [q.scale[0]!];
  const zeroPoints = perAxis ? q.zeroPoint : [q.zeroPoint[0] ?? 0];
  const params = paramConstants(emit, name, dtype, scales, zeroPoints, perAxis);
  const kind = onlyFloatReaders && dtype !== 'int32' && zeroPoints.every((z) => z === 0) ? 'scale' : 'dequantize';
  return decodeStored(emit, { stored, kind, ...params, scales, zeroPoints, ...(perAxis ? { axis: q.axis! } : {}) });
}

function paramConstants(emit: OnnxGraphEmitter, base: string, dtype: string, scales: readonly number[], zeroPoints: readonly number[], perAxis: boolean): { scale: Value; zeroPoint: Value } {
  const dims = perAxis ? [scales.length] : [];
  return {
    scale: emit.constant('float32', dims, Float32Array.from(scales), `${base}/scale`),
    zeroPoint: emit.constant(dtype, dims, [...zeroPoints], `${base}/zero_point`),
  };
}

/** The float value of a stored weight: Cast or DequantizeLinear (axis always explicit when per axis). */
export function decodeStored(emit: OnnxGraphEmitter, w: StoredWeight): Value {
  const out = { dtype: 'float32', shape: w.stored.shape };
  let v: Value;
  if (w.kind === 'cast') v = emit.op('Cast', [w.stored], { to: onnxAttr.int(1) }, out);
  else if (w.kind === 'scale') {
    const values = emit.op('Cast', [w.stored], { to: onnxAttr.int(1) }, out);
    // Per axis: scales shaped [1, …, C, …, 1] to broadcast along the axis.
    const dims = w.axis === undefined ? [] : w.stored.shape!.map((d, i) => (i === w.axis ? d : 1));
    const scale = emit.constant('float32', dims, Float32Array.from(w.axis === undefined ? [w.scales![0]!] : w.scales!), `${w.stored.name}/scale`);
    v = emit.op('Mul', [values, scale], {}, out);
  } else {
    const attrs: Record<string, OnnxAttr> = w.axis === undefined ? {} : { axis: onnxAttr.int(w.axis) };
    v = emit.op('DequantizeLinear', [w.stored, w.scale!, w.zeroPoint!], attrs, out);
  }
  emit.storedWeights.set(v.name, w);
  return v;
}

export function storedWeightOf(emit: OnnxGraphEmitter, v: Value): StoredWeight | undefined {
  return emit.storedWeights.get(v.name);
}

/** A stored weight with its axes permuted at export time (the quantization axis follows); undefined when `v` is not one. */
export function permuteStoredWeight(emit: OnnxGraphEmitter, v: Value, perm: readonly number[]): Value | undefined {
  const w = storedWeightOf(emit, v);
  const t = w && emit.tensorOf(w.stored);
  if (!w || !t) return undefined;
  const data = transposeData(t.data as TypedArray, t.dims, perm);
  const stored = emit.constant(t.dtype, perm.map((p) => t.dims[p]!), data, `${t.name}/${perm.join('')}`);
  return decodeStored(emit, { ...w, stored, ...(w.axis === undefined ? {} : { axis: perm.indexOf(w.axis) }) });
}

/**
 * A stored weight reshaped at export time. A per-axis weight keeps its axis when the reshape keeps
 * that axis whole, or merges it with the axes after it (depthwise [C, M, H, W] → [C·M, 1, H, W]:
 * each channel's scale repeated M times). Undefined when `v` is not a stored weight or the axis
 * cannot follow.
 */
export function reshapeStoredWeight(emit: OnnxGraphEmitter, v: Value, dims: readonly number[]): Value | undefined {
  const w = storedWeightOf(emit, v);
  const t = w && emit.tensorOf(w.stored);
  if (!w || !t) return undefined;
  const stored = emit.constant(t.dtype, dims, t.data as TypedArray, `${t.name}/reshaped`);
  if (w.axis === undefined) return decodeStored(emit, { ...w, stored });
  const mapped = mapAxis(t.dims, w.axis, dims);
  if (!mapped) return undefined;
  const scales = w.scales!.flatMap((s) => new Array<number>(mapped.repeat).fill(s));
  const zeroPoints = w.zeroPoints!.flatMap((z) => new Array<number>(mapped.repeat).fill(z));
  const params = mapped.repeat === 1 ? { scale: w.scale!, zeroPoint: w.zeroPoint! } : paramConstants(emit, stored.name, t.dtype, scales, zeroPoints, true);
  return decodeStored(emit, { ...w, stored, ...params, axis: mapped.axis, scales, zeroPoints });
}

const product = (xs: readonly number[]) => xs.reduce((n, d) => n * d, 1);

function mapAxis(from: readonly number[], axis: number, to: readonly number[]): { axis: number; repeat: number } | undefined {
  const outer = product(from.slice(0, axis));
  const inner = product(from.slice(axis + 1));
  for (let k = 0; k < to.length; k++) {
    if (product(to.slice(0, k)) !== outer) continue;
    const repeat = to[k]! / from[axis]!;
    if (Number.isInteger(repeat) && repeat >= 1 && product(to.slice(k + 1)) * repeat === inner) return { axis: k, repeat };
  }
  return undefined;
}
