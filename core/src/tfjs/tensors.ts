import * as tf from '@tensorflow/tfjs';
import type { DType, TypedArray } from '../graph/dtype.js';
import type { TensorData } from '../tensors/tensor-data.js';

const TFJS_DTYPES = new Set(['float32', 'int32', 'bool', 'string', 'complex64']);

/** A tf.Tensor of TensorData; types tfjs lacks are converted (int64/uint → int32, float16/64 → float32). */
export function toTfTensor(t: TensorData): tf.Tensor {
  if (t.dtype === 'string') return tf.tensor(t.data as string[], [...t.shape], 'string');
  if (TFJS_DTYPES.has(t.dtype)) return tf.tensor(t.data as TypedArray as any, [...t.shape], t.dtype as tf.DataType);
  const isFloat = t.dtype.startsWith('float');
  const values = Array.from(t.data as ArrayLike<number | bigint>, Number);
  return tf.tensor(values, [...t.shape], isFloat ? 'float32' : 'int32');
}

/** Copies a tf.Tensor out of the runtime. */
export async function fromTfTensor(t: tf.Tensor): Promise<TensorData> {
  const data = await t.data();
  if (t.dtype === 'string') {
    const strings = (data as unknown as Uint8Array[]).map((b) => (typeof b === 'string' ? b : Buffer.from(b).toString('utf8')));
    return { dtype: 'string', shape: t.shape, data: strings };
  }
  return { dtype: t.dtype as DType, shape: t.shape, data: data as TypedArray };
}
