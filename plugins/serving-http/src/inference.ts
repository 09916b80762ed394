import type { TensorData } from '@modelport/core';
import { ServingError } from './errors.js';
import { withDeadline } from './limits.js';
import type { ModelManager, VersionSelector } from './model-manager.js';
import type { ServedVersion } from './served-version.js';

/** The version a request will use, counted in so that a swap waits for it. */
export function acquireVersion(manager: ModelManager, model: string, selector: VersionSelector): ServedVersion {
  const served = manager.resolve(model, selector);
  // resolve and acquire run in one tick: a swap cannot come between them, this is a safety net.
  if (!served.acquire()) throw new ServingError('UNAVAILABLE', `version ${served.version} of model ${model} is being unloaded; retry`);
  return served;
}

/**
 * Decodes a request against the version's signatures and runs it within the deadline. The version
 * is released when the runtime is done with the request, even if the client was answered 504 first.
 */
export async function predictOn<D extends { inputs: Record<string, TensorData> }>(
  served: ServedVersion, decode: () => D & { signatureName: string }, timeoutMs: number,
): Promise<{ decoded: D & { signatureName: string }; outputs: Record<string, TensorData> }> {
  let running: Promise<Record<string, TensorData>> | undefined;
  try {
    const decoded = decode();
    const outputs = await withDeadline((signal) => {
      running = served.predict(decoded.inputs, decoded.signatureName, signal);
      return running;
    }, timeoutMs, `model ${served.model} version ${served.version}`);
    return { decoded, outputs };
  } finally {
    if (running) running.then(() => served.release(), () => served.release());
    else served.release();
  }
}
