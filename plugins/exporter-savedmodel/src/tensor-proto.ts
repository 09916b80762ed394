import { dtypeToTf, sizeOfShape, type ConstantTensor, type Shape } from '@modelport/core';

/** A TensorShapeProto object: -1 kept for open dims, `unknownRank` for a null shape, `{}` for a scalar. */
export function shapeProto(shape: Shape): Record<string, unknown> {
  if (shape === null) return { unknownRank: true };
  return shape.length ? { dim: shape.map((size) => ({ size })) } : {};
}

/** Types whose arrays TensorFlow writes as raw tensor_content (python's make_tensor_proto). */
const CONTENT_TYPES = new Set(['float32', 'float16', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'complex64']);

/** The repeated *_val field holding one element of a dtype, as TensorFlow writes a scalar. */
function scalarField(c: ConstantTensor): Record<string, unknown> {
  const v = c.values as ArrayLike<number | bigint>;
  const list = Array.from(v, (x) => (typeof x === 'bigint' ? x.toString() : x));
  switch (c.dtype) {
    case 'float32': return { floatVal: list };
    case 'float64': return { doubleVal: list };
    case 'float16': return { halfVal: list }; // the raw half bits, as TensorFlow stores them
    case 'int64': return { int64Val: list };
    case 'uint32': return { uint32Val: list };
    case 'complex64': return { scomplexVal: list };
    default: return { intVal: list }; // int8, int16, int32, uint8, uint16
  }
}

/**
 * A TensorProto object for a constant, as TensorFlow's make_tensor_proto writes it: an array
 * of more than one number as little-endian tensor_content, one number in its *_val field,
 * bools in bool_val, strings in string_val.
 */
export function tensorProtoOf(c: ConstantTensor): Record<string, unknown> {
  const head = { dtype: dtypeToTf(c.dtype), tensorShape: shapeProto(c.shape) };
  if (c.dtype === 'string') return { ...head, stringVal: c.values as Uint8Array[] };
  if (c.dtype === 'bool') return { ...head, boolVal: Array.from(c.values as Uint8Array, (b) => b !== 0) };
  if (!CONTENT_TYPES.has(c.dtype)) throw new Error(`no TensorProto encoding for ${c.dtype}`);
  const a = c.values as ArrayBufferView;
  if (sizeOfShape(c.shape) > 1) return { ...head, tensorContent: new Uint8Array(a.buffer, a.byteOffset, a.byteLength) };
  return { ...head, ...scalarField(c) };
}
