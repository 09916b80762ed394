import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;

// IR dtype names → ONNX TensorProto.DataType. complex64 exists in ONNX but no runtime computes it.
const TO_ONNX: Readonly<Record<string, number>> = Object.freeze({
  float32: T.FLOAT, float16: T.FLOAT16, float64: T.DOUBLE,
  int8: T.INT8, int16: T.INT16, int32: T.INT32, int64: T.INT64,
  uint8: T.UINT8, uint16: T.UINT16, uint32: T.UINT32,
  bool: T.BOOL, string: T.STRING,
});

/** Whether ONNX can hold tensors of this IR dtype. */
export function isOnnxDType(dtype: string): boolean {
  return dtype in TO_ONNX;
}

/** The TensorProto.DataType of an IR dtype; callers check isOnnxDType first. */
export function onnxDType(dtype: string): number {
  const t = TO_ONNX[dtype];
  if (t === undefined) throw new TypeError(`no ONNX element type for dtype "${dtype}"`);
  return t;
}


export function isFloatDType(dtype: string): boolean {
  return dtype === 'float32' || dtype === 'float16' || dtype === 'float64';
}


/**
 * The dtype a tensor is computed in. The IR comes from tfjs, which computes in float32, int32 and
 * bool only (weights of other types are decoded to those, Cast to int64 or float64 gives int32 or
 * float32): the ONNX model follows, so that it agrees with the source and its types match up.
 * Inputs of other types are cast on entry; float16 weights stay float16 in the file and are cast.
 */
export function computeDType(dtype: string): string {
  if (dtype === 'float16' || dtype === 'float64') return 'float32';
  if (/^u?int(8|16|64)$/.test(dtype) || dtype === 'uint32') return 'int32';
  return dtype;
}
