import type { DType, TypedArray } from '@modelport/core';
import { TensorType } from './schema/enums.js';

/**
 * The element types tensors have inside an exported model. Like tfjs, whose results are the
 * reference, the exporter computes integers in int32 and floats in float32; uint8 appears only at
 * the model's inputs, float16 only in weights (then DEQUANTIZE), int64 only where a builtin insists
 * (WHERE's output, cast to int32 at once). int8 (and int32 biases, uint8 edges) carry quantized values
 * where the IR's quantization annotations ask (docs/formats/quantization.md).
 */
export type TfliteDType = 'float32' | 'int32' | 'bool' | 'uint8' | 'float16' | 'int64' | 'int8';

/** The dtype an IR tensor is computed in; undefined for types TFLite builtins cannot compute (string, complex). */
export function computeDType(dtype: string): TfliteDType | undefined {
  switch (dtype) {
    case 'float32': case 'float64': case 'float16': return 'float32';
    case 'int32': case 'int64': case 'int16': case 'int8': case 'uint8': case 'uint16': case 'uint32': return 'int32';
    case 'bool': return 'bool';
    default: return undefined;
  }
}

export function tensorTypeOf(dtype: TfliteDType): number {
  switch (dtype) {
    case 'float32': return TensorType.FLOAT32;
    case 'int32': return TensorType.INT32;
    case 'bool': return TensorType.BOOL;
    case 'uint8': return TensorType.UINT8;
    case 'float16': return TensorType.FLOAT16;
    case 'int64': return TensorType.INT64;
    case 'int8': return TensorType.INT8;
  }
}

/** Values as the typed array of a TFLite dtype (number conversion where the source differs). */
export function valuesAs(dtype: TfliteDType, values: TypedArray): TypedArray {
  switch (dtype) {
    case 'float32': return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>, Number);
    case 'int32': return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number | bigint>, Number);
    case 'bool': case 'uint8': return values instanceof Uint8Array ? values : Uint8Array.from(values as ArrayLike<number>, (v) => (dtype === 'bool' ? (v ? 1 : 0) : Number(v)));
    case 'float16': return values instanceof Uint16Array ? values : Uint16Array.from(values as ArrayLike<number>);
    case 'int8': return values instanceof Int8Array ? values : Int8Array.from(values as ArrayLike<number>, Number);
    case 'int64': return values instanceof BigInt64Array ? values : BigInt64Array.from(values as ArrayLike<number | bigint>, (v) => BigInt(v));
  }
}

/** The little-endian bytes of a typed array (a view, no copy). */
export function bytesOf(values: TypedArray): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** The IR dtype of a TFLite dtype, for TensorData. */
export function irDType(dtype: TfliteDType): DType {
  return dtype;
}
