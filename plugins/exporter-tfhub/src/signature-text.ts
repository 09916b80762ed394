import type { Signature, SignatureTensor } from '@modelport/core';

/** A shape as Python prints a TensorShape: open dims are None ([-1, 224, 224, 3] → "[None, 224, 224, 3]"). */
export function pythonShape(shape: readonly number[] | null | undefined): string {
  if (!shape) return 'unknown';
  return `[${shape.map((d) => (d < 0 ? 'None' : String(d))).join(', ')}]`;
}

/** A concrete shape for a usage snippet: batch 1, other open dims a small size the model accepts. */
export function exampleShape(shape: readonly number[] | null | undefined): number[] {
  return (shape ?? [1]).map((d, i) => (d >= 0 ? d : i === 0 ? 1 : 32));
}

/** The Python dtype of a snippet (tf.float32, np.uint8 …). */
export function pythonDType(dtype: string, module: 'tf' | 'np'): string {
  if (dtype === 'string') return module === 'tf' ? 'tf.string' : 'np.object_';
  if (dtype === 'bool') return module === 'tf' ? 'tf.bool' : 'np.bool_';
  return `${module}.${dtype}`;
}

/** The tfjs dtype a caller feeds: tfjs has no uint8/int64 tensors, integers go in as int32. */
export function tfjsDType(dtype: string): string {
  if (dtype === 'float32' || dtype === 'bool' || dtype === 'string') return dtype;
  if (dtype.startsWith('float')) return 'float32';
  return 'int32';
}

/** Markdown table rows of a signature's inputs and outputs: direction, key, dtype, shape. */
export function signatureTable(signature: Signature): string[] {
  const row = (kind: string, key: string, t: SignatureTensor) => `| ${kind} | \`${key}\` | ${t.dtype} | \`${pythonShape(t.shape)}\` |`;
  return [
    '| | key | dtype | shape |',
    '|---|---|---|---|',
    ...Object.entries(signature.inputs).map(([k, t]) => row('input', k, t)),
    ...Object.entries(signature.outputs).map(([k, t]) => row('output', k, t)),
  ];
}
