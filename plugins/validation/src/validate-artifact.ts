import {
  judgeOutput, relativeDiff, type ArtifactRecord, type Hooks, type Logger, type OutputVerdict, type TensorData, type ValidationReport,
} from '@modelport/core';
import { missingOutput } from './missing-outputs.js';
import type { SourceReference } from './reference.js';
import { isNotValidated, serveArtifact, type NotValidated } from './serve-artifact.js';

/**
 * Runs one artifact in its runtime (the `serve` hook for its format) on `inputs` and judges every
 * output of the signature against the source (core's judgeOutput states the rules).
 */
export async function validateArtifact(
  hooks: Hooks, artifact: ArtifactRecord, versionDir: string, signatureKey: string,
  inputs: Record<string, TensorData>, source: SourceReference, tolerance: number, logger: Logger,
): Promise<ValidationReport | NotValidated> {
  const predictor = await serveArtifact(hooks, artifact, versionDir, logger);
  if (isNotValidated(predictor)) return predictor;
  try {
    const actual = await predictor.predict(inputs, signatureKey);
    const outputs: OutputVerdict[] = [];
    for (const name of Object.keys(source.signature.outputs)) {
      const reference = source.outputs[name]!;
      const got = actual[name];
      if (!got) {
        outputs.push({ ...missingOutput(name, reference.shape), status: 'FAIL', reference: 'primary' });
        continue;
      }
      outputs.push(await judgeOutput(name, got, reference, async () => (await source.cpu())[name]!, tolerance));
    }
    return {
      target: artifact.target, runtime: predictor.format, tolerance, outputs,
      ok: outputs.every((o) => o.ok),
      worstRelativeDiff: Math.max(0, ...outputs.map(relativeDiff)),
    };
  } finally {
    await predictor.dispose();
  }
}
