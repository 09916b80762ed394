import path from 'node:path';
import {
  compareTensors, relativeDiff, type ArtifactRecord, type Hooks, type Logger, type Signature, type TensorData, type ValidationReport,
} from '@modelport/core';

/**
 * Runs one artifact in its runtime (the `serve` hook for its format) on `inputs` and compares every
 * output of the signature with the source's.
 */
export async function validateArtifact(
  hooks: Hooks, artifact: ArtifactRecord, versionDir: string, signature: Signature, signatureKey: string,
  inputs: Record<string, TensorData>, reference: Record<string, TensorData>, tolerance: number, logger: Logger,
): Promise<ValidationReport | undefined> {
  const predictor = await hooks.serve.for(artifact.format).promise({ format: artifact.format, path: path.join(versionDir, artifact.path), logger });
  if (!predictor) return undefined;
  try {
    const actual = await predictor.predict(inputs, signatureKey);
    const outputs = Object.keys(signature.outputs).map((name) => {
      const got = actual[name];
      if (!got) return { output: name, shape: reference[name]!.shape, maxAbsDiff: Infinity, maxAbsRef: 0, cosine: 0, ok: false, problem: 'the artifact does not return this output' };
      return compareTensors(name, got, reference[name]!, tolerance);
    });
    return {
      target: artifact.target, runtime: predictor.format, tolerance, outputs,
      ok: outputs.every((o) => o.ok),
      worstRelativeDiff: Math.max(0, ...outputs.map(relativeDiff)),
    };
  } finally {
    await predictor.dispose();
  }
}
