import { ModelLoadError } from '../errors.js';
import { allocValues, sizeOfShape, type DType, type TypedArray } from '../graph/dtype.js';
import { float16ToFloat32Array, float32ToFloat16Array } from '../graph/float16.js';
import type { ConstantTensor } from '../graph/types.js';
import type { TfjsWeightQuantization, TfjsWeightSpec } from './model-json.js';

/**
 * How to store one weight in tfjs format: as is, or quantized (tfjs dequantizes when loading);
 * an affine quantization with given min and scale re-encodes a weight exactly as its source stored it.
 */
export type WeightQuantization = 'float16' | 'uint8' | 'uint16' | TfjsWeightQuantization | undefined;

const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

function storedBytes(spec: TfjsWeightSpec): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const per = STORED_BYTES[dtype];
  if (per === undefined) throw new ModelLoadError(`weight "${spec.name}" has dtype "${dtype}", which tfjs weights cannot hold`);
  return per * sizeOfShape(spec.shape);
}

function irDType(dtype: string, name: string): DType {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool' || dtype === 'string' || dtype === 'complex64') return dtype;
  throw new ModelLoadError(`weight "${name}" has dtype "${dtype}", which tfjs weights cannot hold`);
}

/**
 * Decodes the weights of one manifest group from the bytes of its shards laid end to end, undoing
 * float16 and uint8/uint16 quantization as tfjs does. A buffer too short for the manifest is an
 * error naming `files` and the first weight that does not fit.
 */
export function decodeTfjsWeights(specs: readonly TfjsWeightSpec[], bytes: Uint8Array, files: string): Map<string, ConstantTensor> {
  const out = new Map<string, ConstantTensor>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (const spec of specs) {
    const dtype = irDType(spec.dtype, spec.name);
    const size = sizeOfShape(spec.shape);
    if (dtype === 'string') {
      const strings: Uint8Array[] = [];
      for (let i = 0; i < size; i++) {
        if (offset + 4 > bytes.byteLength) throw cutShort(files, spec.name, offset + 4, bytes.byteLength);
        const len = view.getUint32(offset, true);
        offset += 4;
        if (offset + len > bytes.byteLength) throw cutShort(files, spec.name, offset + len, bytes.byteLength);
        strings.push(bytes.slice(offset, offset + len));
        offset += len;
      }
      out.set(spec.name, { dtype, shape: spec.shape, values: strings });
      continue;
    }
    const length = storedBytes(spec);
    if (offset + length > bytes.byteLength) throw cutShort(files, spec.name, offset + length, bytes.byteLength);
    const raw = bytes.slice(offset, offset + length); // a copy, aligned for typed arrays
    offset += length;
    out.set(spec.name, { dtype, shape: spec.shape, values: dequantize(raw.buffer, dtype, spec.quantization, size) });
  }
  return out;
}

function cutShort(files: string, weight: string, needed: number, got: number): ModelLoadError {
  return new ModelLoadError(`weight data is cut short: weight "${weight}" needs bytes up to ${needed}, the shards have ${got}`, { file: files });
}

function dequantize(buffer: ArrayBuffer, dtype: DType, q: TfjsWeightQuantization | undefined, size: number): TypedArray {
  if (!q) {
    switch (dtype) {
      case 'float32': return new Float32Array(buffer);
      case 'int32': return new Int32Array(buffer);
      case 'bool': return new Uint8Array(buffer);
      case 'complex64': return new Float32Array(buffer);
      default: throw new TypeError(dtype);
    }
  }
  if (q.dtype === 'float16') {
    const f = float16ToFloat32Array(new Uint16Array(buffer));
    return dtype === 'int32' ? Int32Array.from(f, Math.round) : f;
  }
  const quantized = q.dtype === 'uint8' ? new Uint8Array(buffer) : new Uint16Array(buffer);
  const scale = q.scale ?? 1, min = q.min ?? 0;
  const out = allocValues(dtype === 'int32' ? 'int32' : 'float32', size);
  for (let i = 0; i < size; i++) out[i] = dtype === 'int32' ? Math.round(quantized[i]! * scale + min) : quantized[i]! * scale + min;
  return out;
}

/** The tfjs dtype a constant is stored as; IR types tfjs lacks are refused by the caller. */
export function tfjsWeightDType(c: ConstantTensor): string {
  switch (c.dtype) {
    case 'float32': case 'int32': case 'bool': case 'string': case 'complex64': return c.dtype;
    default: return c.dtype;
  }
}

export interface EncodedWeight {
  readonly spec: TfjsWeightSpec;
  readonly bytes: Uint8Array;
}

/** Encodes one constant for a tfjs weights file, quantized as asked (floats only; others stay exact). */
export function encodeTfjsWeight(name: string, c: ConstantTensor, quantize: WeightQuantization): EncodedWeight {
  const shape = [...c.shape];
  if (c.dtype === 'string') {
    const strings = c.values as Uint8Array[];
    const total = strings.reduce((n, s) => n + 4 + s.byteLength, 0);
    const bytes = new Uint8Array(total);
    const view = new DataView(bytes.buffer);
    let o = 0;
    for (const s of strings) { view.setUint32(o, s.byteLength, true); bytes.set(s, o + 4); o += 4 + s.byteLength; }
    return { spec: { name, shape, dtype: 'string' }, bytes };
  }
  const values = c.values as TypedArray;
  if (typeof quantize === 'object') {
    if (c.dtype !== 'float32' && c.dtype !== 'int32') return { spec: { name, shape, dtype: c.dtype }, bytes: asBytes(values) };
    if (quantize.dtype === 'float16') return encodeTfjsWeight(name, c.dtype === 'float32' ? c : { ...c, dtype: 'float32', values: Float32Array.from(values as Int32Array) }, 'float16');
    return reuseAffine(name, c, quantize as Required<TfjsWeightQuantization>) ?? { spec: { name, shape, dtype: c.dtype }, bytes: asBytes(values) };
  }
  if (c.dtype === 'float32' && quantize === 'float16') {
    return { spec: { name, shape, dtype: 'float32', quantization: { dtype: 'float16' } }, bytes: asBytes(float32ToFloat16Array(values as Float32Array)) };
  }
  if (c.dtype === 'float32' && (quantize === 'uint8' || quantize === 'uint16')) {
    return quantizeAffine(name, shape, values as Float32Array, quantize);
  }
  return { spec: { name, shape, dtype: c.dtype }, bytes: asBytes(values) };
}

/**
 * Affine quantization as the tfjs converter does it: q = round((v - min) / scale), with min nudged
 * so that 0 is exactly representable (zero padding and ReLU outputs stay exact).
 */
function quantizeAffine(name: string, shape: number[], values: Float32Array, dtype: 'uint8' | 'uint16'): EncodedWeight {
  const levels = dtype === 'uint8' ? 255 : 65535;
  let lo = 0, hi = 0; // the range always contains 0
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const scale = hi > lo ? (hi - lo) / levels : 1;
  const zeroPoint = Math.round(-lo / scale);
  const min = -zeroPoint * scale;
  const q = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) q[i] = Math.min(levels, Math.max(0, Math.round((values[i]! - min) / scale)));
  return { spec: { name, shape, dtype: 'float32', quantization: { dtype, scale, min } }, bytes: asBytes(q) };
}

/**
 * Re-encodes with the source's own min and scale; undefined when that would not give the same
 * values back (the weight was changed since, e.g. by a pass), so the caller stores it unquantized.
 */
function reuseAffine(name: string, c: ConstantTensor, q: Required<TfjsWeightQuantization>): EncodedWeight | undefined {
  const values = c.values as Float32Array | Int32Array;
  const levels = q.dtype === 'uint8' ? 255 : 65535;
  const quantized = q.dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  const check = new Float32Array(1);
  for (let i = 0; i < values.length; i++) {
    const level = Math.round((values[i]! - q.min) / q.scale);
    if (level < 0 || level > levels) return undefined;
    check[0] = level * q.scale + q.min;
    const back = c.dtype === 'int32' ? Math.round(level * q.scale + q.min) : check[0];
    if (back !== values[i]) return undefined;
    quantized[i] = level;
  }
  return { spec: { name, shape: [...c.shape], dtype: c.dtype, quantization: { dtype: q.dtype, scale: q.scale, min: q.min, ...(q.original_dtype ? { original_dtype: q.original_dtype } : {}) } }, bytes: asBytes(quantized) };
}

function asBytes(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
