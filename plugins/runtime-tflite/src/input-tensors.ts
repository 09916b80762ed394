import { InvalidInputError, sizeOfShape, type TensorData, type TypedArray } from '@modelport/core';

/** The dtypes LiteRT.js moves in and out of a model. */
export type EdgeDType = 'float32' | 'int32' | 'uint8';

/** What a signature input accepts: the file's dtype and static shape. */
export interface InputSpec {
  readonly key: string;
  readonly dtype: EdgeDType;
  readonly shape: readonly number[];
}

const RANGES: Readonly<Record<EdgeDType, [number, number] | undefined>> = {
  float32: undefined, int32: [-2147483648, 2147483647], uint8: [0, 255],
};

/**
 * Checks one input against what the model takes and converts it to the file's dtype (int64 →
 * int32, bool → uint8 …). LiteRT resolves run() with garbage rather than failing on bad input, so
 * every mismatch is refused here with a message naming the input.
 */
export function toEdgeValues(spec: InputSpec, value: TensorData | undefined, file: string): TypedArray {
  if (!value) throw new InvalidInputError(`input "${spec.key}" is missing`, { file });
  if (value.shape.length !== spec.shape.length || value.shape.some((d, i) => d !== spec.shape[i])) {
    throw new InvalidInputError(`input "${spec.key}" has shape [${value.shape.join(', ')}], the model takes [${spec.shape.join(', ')}] (TFLite cannot resize inputs; a dynamic batch was pinned to 1 at export)`, { file });
  }
  if (value.dtype === 'string' || value.dtype === 'complex64') throw new InvalidInputError(`input "${spec.key}" is ${value.dtype}; the model takes ${spec.dtype}`, { file });
  const data = value.data as ArrayLike<number | bigint>;
  if (data.length !== sizeOfShape(spec.shape)) throw new InvalidInputError(`input "${spec.key}" has ${data.length} values for shape [${spec.shape.join(', ')}]`, { file });
  const isFloatInput = value.dtype.startsWith('float');
  if (spec.dtype !== 'float32' && isFloatInput) throw new InvalidInputError(`input "${spec.key}" is ${value.dtype}; the model takes ${spec.dtype}`, { file });
  const out = spec.dtype === 'float32' ? new Float32Array(data.length) : spec.dtype === 'int32' ? new Int32Array(data.length) : new Uint8Array(data.length);
  const range = RANGES[spec.dtype];
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (range && (v < range[0] || v > range[1])) throw new InvalidInputError(`input "${spec.key}" holds ${v} at index ${i}, outside ${spec.dtype}`, { file });
    out[i] = v;
  }
  return out;
}
