import type { Signature, TensorData } from '@modelport/core';
import { ServingError } from './errors.js';
import { withDeadline } from './limits.js';
import type { ModelManager, VersionSelector } from './model-manager.js';
import { checkModelName } from './model-names.js';
import type { ServingContext } from './routes/context.js';
import type { ServedVersion } from './served-version.js';
import { checkInputs, defaultSignatureName, signatureOf } from './signature-check.js';

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

/** A request in tensors, as any protocol decodes it. */
export interface InferenceRequest {
  readonly model: string;
  /** The latest AVAILABLE version when neither is given. */
  readonly version?: number;
  readonly label?: string;
  /** serving_default, or the model's only signature. */
  readonly signatureName?: string;
  readonly inputs: Readonly<Record<string, TensorData>>;
}

export interface InferenceResult {
  readonly model: string;
  readonly version: number;
  readonly signatureName: string;
  readonly signature: Signature;
  readonly outputs: Record<string, TensorData>;
}

/**
 * The whole inference path for a protocol that has decoded its request into tensors: checks the
 * model name, picks and holds the version (a swap waits for it), checks the inputs against the
 * signature, runs them through the model's batcher when it batches, within limits.requestTimeoutMs.
 * Failures are ServingErrors with the status code clients expect.
 */
export async function runInference(ctx: ServingContext, request: InferenceRequest): Promise<InferenceResult> {
  const model = checkModelName(request.model);
  const served = acquireVersion(ctx.manager, model, {
    ...(request.version !== undefined ? { version: request.version } : {}), ...(request.label !== undefined ? { label: request.label } : {}),
  });
  const signatureName = request.signatureName ?? defaultSignatureName(served.signatures);
  const { outputs } = await predictOn(served, () => {
    checkInputs(signatureOf(served.signatures, signatureName), signatureName, request.inputs);
    return { inputs: { ...request.inputs }, signatureName };
  }, ctx.settings.limits.requestTimeoutMs);
  return { model, version: served.version, signatureName, signature: signatureOf(served.signatures, signatureName), outputs };
}
