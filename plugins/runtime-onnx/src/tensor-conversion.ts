import './telemetry-off.js';
import * as ort from 'onnxruntime-node';
import { float16ToFloat32Array, float32ToFloat16Array, ModelportError, type DType, type TensorData, type TypedArray } from '@modelport/core';

// Between core's TensorData and onnxruntime's Tensor. onnxruntime checks element types strictly,
// so an input is converted to the type the model declares (int32 data for an int64 input, say).

const ORT_TYPES = new Set(['float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'bool', 'string', 'float16']);

function convert(t: TensorData, type: string): TypedArray | readonly string[] {
  const d = t.data;
  if (type === 'string') return (d as ArrayLike<unknown>) instanceof Array ? d as readonly string[] : Array.from(d as ArrayLike<number>, String);
  if (type === 'float16') {
    // core keeps float16 as raw half bits (Uint16Array); numbers of another type are values.
    return d instanceof Uint16Array && t.dtype === 'float16' ? d : float32ToFloat16Array(Float32Array.from(d as ArrayLike<number>));
  }
  const numbers = d as ArrayLike<number | bigint>;
  switch (type) {
    case 'float32': return d instanceof Float32Array ? d : Float32Array.from(numbers, Number);
    case 'float64': return Float64Array.from(numbers, Number);
    case 'int64': return d instanceof BigInt64Array ? d : BigInt64Array.from(numbers, (v) => BigInt(Math.trunc(Number(v))));
    case 'int32': return d instanceof Int32Array ? d : Int32Array.from(numbers, Number);
    case 'int16': return Int16Array.from(numbers, Number);
    case 'int8': return Int8Array.from(numbers, Number);
    case 'uint8': case 'bool': return d instanceof Uint8Array ? d : Uint8Array.from(numbers, (v) => (type === 'bool' ? (Number(v) ? 1 : 0) : Number(v)));
    case 'uint16': return Uint16Array.from(numbers, Number);
    case 'uint32': return Uint32Array.from(numbers, Number);
    default: throw new TypeError(type);
  }
}

/** An onnxruntime tensor of `type` (the model's declared input type) holding `t`. */
export function toOrtTensor(t: TensorData, type: string, name: string, file: string): ort.Tensor {
  if (!ORT_TYPES.has(type)) throw new ModelportError(`input "${name}" has element type ${type}, which this runtime does not feed`, { file });
  return new ort.Tensor(type as 'float32', convert(t, type) as Float32Array, [...t.shape]);
}

/** TensorData of an output; float16 comes back as float32 values, the other types as they are. */
export function fromOrtTensor(t: ort.Tensor): TensorData {
  const shape = [...t.dims];
  if (t.type === 'float16') return { dtype: 'float32', shape, data: float16ToFloat32Array(t.data as Uint16Array) };
  if (t.type === 'uint64') return { dtype: 'int64', shape, data: BigInt64Array.from(t.data as BigUint64Array, (v) => BigInt.asIntN(64, v)) };
  return { dtype: t.type as DType, shape, data: t.data as TypedArray };
}
