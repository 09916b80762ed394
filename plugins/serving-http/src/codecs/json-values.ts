import { allocValues, float16BitsToNumber, isKnownDType, numberToFloat16Bits, sizeOfShape, type DType, type TensorData, type TypedArray } from '@modelport/core';
import { ServingError } from '../errors.js';

/**
 * An element of a string tensor: text, or bytes from a {"b64": …} value. TensorData types string
 * data as string[]; tfjs takes Uint8Array elements as they are (see the README on a core change).
 */
export type StringElement = string | Uint8Array;

const INT_RANGE: Readonly<Partial<Record<DType, readonly [number, number]>>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295],
};

function isB64(v: unknown): v is { b64: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { b64?: unknown }).b64 === 'string' && Object.keys(v).length === 1;
}

export function isB64Value(v: unknown): v is { b64: string } {
  return isB64(v);
}

const B64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function decodeB64(text: string, where: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (!B64.test(compact)) throw new ServingError('INVALID_ARGUMENT', `${where}: "b64" is not base64`);
  return new Uint8Array(Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64'));
}

/** Writes JSON leaves one by one into a tensor's buffer, so no array of all the values is built first. */
export interface TensorBuilder {
  put(index: number, value: unknown): void;
  finish(): TensorData;
}

/**
 * A builder for a tensor of `dtype` and `shape` that names the first value that does not fit:
 * floats for float types, integers in range for integer types, true/false for bool, text or b64
 * for string.
 */
export function tensorBuilder(dtype: string, shape: readonly number[], where: string): TensorBuilder {
  if (!isKnownDType(dtype) || dtype === 'complex64') {
    throw new ServingError('INVALID_ARGUMENT', `${where}: tensors of type ${dtype} cannot be sent as JSON`);
  }
  const bad = (i: number, v: unknown, want: string): never => {
    throw new ServingError('INVALID_ARGUMENT', `${where}: value ${JSON.stringify(v)?.slice(0, 40)} at position ${i} is not ${want} (the input is ${dtype})`);
  };
  const size = sizeOfShape(shape);
  if (dtype === 'string') {
    const data: StringElement[] = new Array(size);
    return {
      put(i, v) { data[i] = typeof v === 'string' ? v : isB64(v) ? decodeB64(v.b64, `${where} at position ${i}`) : bad(i, v, 'a string or {"b64": …}'); },
      finish: () => ({ dtype, shape, data: data as string[] }),
    };
  }
  const out = allocValues(dtype, size);
  const notNumber = (i: number, v: unknown, want: string): never => bad(i, v, isB64(v) ? 'a number ({"b64": …} is for string inputs)' : want);
  // One writer per dtype: the per-element work is a type check and a store.
  let put: (i: number, v: unknown) => void;
  if (dtype === 'bool') {
    put = (i, v) => { if (v === true || v === 1) out[i] = 1; else if (v === false || v === 0) out[i] = 0; else notNumber(i, v, 'true or false'); };
  } else if (dtype === 'int64') {
    const big = out as BigInt64Array;
    put = (i, v) => {
      if (typeof v === 'number' && Number.isInteger(v)) big[i] = BigInt(v);
      else if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) big[i] = BigInt(v);
      else notNumber(i, v, 'an integer');
    };
  } else if (dtype === 'float16') {
    put = (i, v) => { if (typeof v === 'number') out[i] = numberToFloat16Bits(v); else notNumber(i, v, 'a number'); };
  } else if (dtype === 'float32' || dtype === 'float64') {
    put = (i, v) => { if (typeof v === 'number') out[i] = v; else notNumber(i, v, 'a number'); };
  } else {
    const [low, high] = INT_RANGE[dtype]!;
    put = (i, v) => {
      if (typeof v === 'number' && Number.isInteger(v) && v >= low && v <= high) out[i] = v;
      else notNumber(i, v, `an integer in [${low}, ${high}]`);
    };
  }
  return { put, finish: () => ({ dtype, shape, data: out }) };
}

/** A tensor from row-major JSON leaves already in one array (warm-up samples). */
export function tensorFromJson(dtype: string, shape: readonly number[], values: readonly unknown[], where: string): TensorData {
  const builder = tensorBuilder(dtype, shape, where);
  const size = sizeOfShape(shape);
  for (let i = 0; i < size; i++) builder.put(i, values[i]);
  return builder.finish();
}

// The shortest decimal that reads back as the same float32, so 0.1f prints as 0.1, not 0.10000000149.
function float32ToJson(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  for (let p = 7; p < 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return Number(x.toPrecision(9));
}

/** Row-major JSON values of a tensor. NaN and ±Infinity become null: JSON has no such numbers. */
export function jsonFromTensor(t: TensorData, bytes: (b: Uint8Array) => unknown): unknown[] {
  const data = t.data as TypedArray | readonly StringElement[];
  if (t.dtype === 'string') return Array.from(data as readonly StringElement[], (v) => (typeof v === 'string' ? v : bytes(v)));
  if (t.dtype === 'bool') return Array.from(data as Uint8Array, (v) => v !== 0);
  if (t.dtype === 'int64' || data instanceof BigInt64Array) return Array.from(data as BigInt64Array, Number);
  if (t.dtype === 'float32') return Array.from(data as Float32Array, float32ToJson);
  if (t.dtype === 'float16') return Array.from(data as Uint16Array, (h) => float32ToJson(Math.fround(float16BitsToNumber(h))));
  if (t.dtype === 'float64') return Array.from(data as Float64Array, (v) => (Number.isFinite(v) ? v : null));
  return Array.from(data as ArrayLike<number>);
}

export function bytesToText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

export function bytesToB64(bytes: Uint8Array): { b64: string } {
  return { b64: Buffer.from(bytes).toString('base64') };
}
