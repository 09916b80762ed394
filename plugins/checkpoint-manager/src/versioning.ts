import { OptionsError } from '@modelport/core';

/**
 * How a checkpoint's version number is chosen. Versions only grow, because TF Serving and the
 * modelport server serve the highest one:
 * - `step`: the training step is the version (readable: version 1200 is step 1200);
 * - `timestamp`: Unix seconds, as TF's exporters do (one more than the latest if that is not later);
 * - `sequence`: one more than the latest.
 */
export type Versioning = 'step' | 'timestamp' | 'sequence';

export function nextVersion(versioning: Versioning, step: number, existing: readonly number[], modelDir: string, now = Date.now()): number {
  const latest = existing.length ? Math.max(...existing) : 0;
  if (versioning === 'sequence') return latest + 1;
  if (versioning === 'timestamp') return Math.max(Math.floor(now / 1000), latest + 1);
  if (!Number.isSafeInteger(step) || step < 1) {
    throw new OptionsError(`versioning "step" needs a whole step of 1 or more as the version, got ${step}`, { file: modelDir });
  }
  if (step <= latest) {
    throw new OptionsError(`step ${step} is not after the latest version ${latest}: with versioning "step" steps must grow (continue from step ${latest + 1}, or use versioning "sequence" or "timestamp")`, { file: modelDir });
  }
  return step;
}
