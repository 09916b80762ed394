/** Element types of tensors in the Graph IR. Names follow tfjs, plus the ones other formats need. */
export type DType =
  | 'float32' | 'float16' | 'float64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32'
  | 'bool' | 'string' | 'complex64';

export type TypedArray =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array;

/** Tensor payloads: typed arrays for numbers and bools (bool as Uint8Array), strings as arrays of bytes. */
export type TensorValues = TypedArray | Uint8Array[];

// TensorFlow's DataType enum names as they appear in tfjs model.json attributes.
const TF_TO_DTYPE: Readonly<Record<string, DType>> = Object.freeze({
  DT_FLOAT: 'float32', DT_HALF: 'float16', DT_DOUBLE: 'float64',
  DT_INT8: 'int8', DT_INT16: 'int16', DT_INT32: 'int32', DT_INT64: 'int64',
  DT_UINT8: 'uint8', DT_UINT16: 'uint16', DT_UINT32: 'uint32',
  DT_BOOL: 'bool', DT_STRING: 'string', DT_COMPLEX64: 'complex64',
});
const DTYPE_TO_TF: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(TF_TO_DTYPE).map(([tf, d]) => [d, tf])));

/** 'DT_FLOAT' → 'float32'. TF types the IR has no name for (DT_RESOURCE, DT_VARIANT) stay as they are. */
export function dtypeFromTf(tfName: string): DType | string {
  return TF_TO_DTYPE[tfName] ?? tfName;
}

/** 'float32' → 'DT_FLOAT'; a raw TF name passes through. */
export function dtypeToTf(dtype: string): string {
  return Object.hasOwn(DTYPE_TO_TF, dtype) ? DTYPE_TO_TF[dtype]! : dtype;
}

export function isKnownDType(name: string): name is DType {
  return Object.hasOwn(DTYPE_TO_TF, name); // a dtype read from a file may be "constructor"
}

const BYTES: Readonly<Record<DType, number>> = Object.freeze({
  float32: 4, float16: 2, float64: 8, int8: 1, int16: 2, int32: 4, int64: 8,
  uint8: 1, uint16: 2, uint32: 4, bool: 1, string: 0, complex64: 8,
});

/** Bytes per element in a dense buffer; 0 for strings (variable length). */
export function bytesPerElement(dtype: DType): number {
  return BYTES[dtype];
}

/** A zero-filled typed array holding `size` elements of `dtype` as the IR stores them in memory. */
export function allocValues(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'float16': return new Uint16Array(size); // raw IEEE half bits
    case 'float64': return new Float64Array(size);
    case 'int8': return new Int8Array(size);
    case 'int16': return new Int16Array(size);
    case 'int32': return new Int32Array(size);
    case 'int64': return new BigInt64Array(size);
    case 'uint8': case 'bool': return new Uint8Array(size);
    case 'uint16': return new Uint16Array(size);
    case 'uint32': return new Uint32Array(size);
    case 'complex64': return new Float32Array(size * 2);
    case 'string': throw new TypeError('string tensors have no typed array');
  }
}

export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
