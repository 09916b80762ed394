import type { Quantization, QuantizedDType } from '../types.js';

/** The integer range of each affine storage type. */
export const QUANTIZED_RANGE: Readonly<Record<Exclude<QuantizedDType, 'float16'>, readonly [number, number]>> = Object.freeze({
  int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535], int32: [-2147483648, 2147483647],
});

/** Round half away from zero, as TFLite's and onnxruntime's reference kernels do (std::round). */
export function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

function integerRange(dtype: QuantizedDType): readonly [number, number] {
  if (dtype === 'float16') throw new Error('float16 has no integer range');
  return QUANTIZED_RANGE[dtype];
}

/**
 * Asymmetric per-tensor parameters for values seen in [min, max] (activations): the range is
 * widened to hold 0 exactly, as every integer kernel needs (zero padding, ReLU).
 */
export function asymmetricParams(min: number, max: number, dtype: 'int8' | 'uint8' = 'int8'): Quantization {
  const [qmin, qmax] = integerRange(dtype);
  const lo = Math.min(0, min), hi = Math.max(0, max);
  const scale = hi > lo ? (hi - lo) / (qmax - qmin) : 1;
  const zeroPoint = Math.min(qmax, Math.max(qmin, roundHalfAwayFromZero(qmin - lo / scale)));
  return { dtype, scale: [scale], zeroPoint: [zeroPoint] };
}

/**
 * Symmetric parameters (zero point 0, range ±127 for int8) per channel along `axis`, or per tensor
 * when `axis` is undefined: the form integer kernels want for weights.
 */
export function symmetricParams(values: ArrayLike<number>, shape: readonly number[], axis: number | undefined, dtype: 'int8' | 'int16' = 'int8'): Quantization {
  const qmax = integerRange(dtype)[1];
  const maxAbs = maxAbsPerChannel(values, shape, axis);
  const scale = maxAbs.map((m) => (m > 0 ? m / qmax : 1));
  return { dtype, scale, zeroPoint: scale.map(() => 0), ...(axis === undefined ? {} : { axis }) };
}

/** max |v| per index along `axis` (one value for the whole tensor when axis is undefined). */
export function maxAbsPerChannel(values: ArrayLike<number>, shape: readonly number[], axis: number | undefined): number[] {
  if (axis === undefined) {
    let m = 0;
    for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
    return [m];
  }
  const channels = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % channels;
    out[c] = Math.max(out[c]!, Math.abs(values[i]!));
  }
  return out;
}

/** The parameters of element `i` of a tensor of `shape` (per tensor, or its channel's). */
function paramsAt(q: Quantization, shape: readonly number[]): (i: number) => [number, number] {
  if (q.axis === undefined || q.scale.length === 1) return () => [q.scale[0]!, q.zeroPoint[0]!];
  const channels = shape[q.axis]!;
  const inner = shape.slice(q.axis + 1).reduce((a, b) => a * b, 1);
  return (i) => {
    const c = Math.floor(i / inner) % channels;
    return [q.scale[c]!, q.zeroPoint[c]!];
  };
}

const STORAGE = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array } as const;
export type QuantizedValues = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

/**
 * The stored integers of real `values` under `q`: round(v / scale) + zeroPoint, clamped to the
 * type's range. Every exporter stores weights with this, so all targets hold the same integers.
 */
export function quantizeValues(values: ArrayLike<number>, shape: readonly number[], q: Quantization): QuantizedValues {
  const dtype = q.dtype ?? 'int8';
  if (dtype === 'float16') throw new Error('float16 storage is not affine: use float32ToFloat16Array');
  const [qmin, qmax] = integerRange(dtype);
  const out = new STORAGE[dtype](values.length);
  const at = paramsAt(q, shape);
  for (let i = 0; i < values.length; i++) {
    const [s, z] = at(i);
    out[i] = Math.min(qmax, Math.max(qmin, roundHalfAwayFromZero(values[i]! / s) + z));
  }
  return out;
}

/** The real values integers stand for under `q`. */
export function dequantizeValues(stored: ArrayLike<number>, shape: readonly number[], q: Quantization): Float32Array {
  const out = new Float32Array(stored.length);
  const at = paramsAt(q, shape);
  for (let i = 0; i < stored.length; i++) {
    const [s, z] = at(i);
    out[i] = s * (stored[i]! - z);
  }
  return out;
}

/** The int8 form of a tensor carried as uint8 (same scale, zero point − 128), and back. */
export function asInt8(q: Quantization): Quantization {
  if (q.dtype !== 'uint8') return q;
  return { ...q, dtype: 'int8', zeroPoint: q.zeroPoint.map((z) => z - 128) };
}

export function asUint8(q: Quantization): Quantization {
  if (q.dtype !== 'int8') return q;
  return { ...q, dtype: 'uint8', zeroPoint: q.zeroPoint.map((z) => z + 128) };
}
