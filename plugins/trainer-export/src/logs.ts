import * as tf from '@tensorflow/tfjs';

/**
 * tfjs hands callbacks logs whose values may still be scalar tensors; checkpoints record numbers.
 * Nested objects (a custom loop's `{ val: { loss } }`) are resolved too.
 */
export async function resolveLogs(logs: Readonly<Record<string, unknown>> | undefined): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(logs ?? {})) {
    if (typeof value === 'number') out[key] = value;
    else if (value instanceof tf.Tensor) out[key] = (await value.data())[0];
    else if (value && typeof value === 'object') out[key] = await resolveLogs(value as Record<string, unknown>);
  }
  return out;
}
