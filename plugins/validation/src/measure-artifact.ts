import {
  judgeOutput, relativeDiff, type AccuracyReport, type AccuracyTarget, type ArtifactRecord, type Hooks, type Logger,
  type OutputComparison, type OutputVerdict, type Signature, type TensorData, type ValidationReport,
} from '@modelport/core';
import { measureOutput, missedTarget, type OutputPair } from './accuracy.js';
import { realValuedOutputs, type EdgeFeeds } from './integer-edges.js';
import { missingOutput } from './missing-outputs.js';
import { isNotValidated, serveArtifact, type NotValidated } from './serve-artifact.js';

/** One sample: the feeds of both sides and the source's outputs on it. */
export interface MeasuredSample {
  readonly feeds: EdgeFeeds;
  readonly reference: Readonly<Record<string, TensorData>>;
  /** The source's outputs on tfjs cpu (judgeOutput asks for them only when the usual backend disagrees). */
  cpu(): Promise<Record<string, TensorData>>;
}

/** How an integer-quantized artifact is judged: by the accuracy target, and by max|Δ| only when --tolerance was given. */
export interface AccuracyJudgement {
  readonly tolerance?: number;
  readonly target?: AccuracyTarget;
  readonly inputs: AccuracyReport['inputs'];
}

/** Of several samples' verdicts on one output: the first failure, else the one furthest off. */
function worstVerdict(verdicts: readonly OutputVerdict[]): OutputVerdict {
  return verdicts.find((v) => !v.ok) ?? verdicts.reduce((a, b) => (relativeDiff(b) > relativeDiff(a) ? b : a));
}

/**
 * Runs an integer-quantized artifact in its runtime on every sample (integer edges fed and read as
 * integers) and measures each output against the source: max |Δ|, cosine, top-1 agreement.
 */
export async function measureArtifact(
  hooks: Hooks, artifact: ArtifactRecord, versionDir: string, signatureKey: string, exported: Signature,
  outputNames: readonly string[], samples: readonly MeasuredSample[], judgement: AccuracyJudgement, logger: Logger,
): Promise<ValidationReport | NotValidated> {
  const predictor = await serveArtifact(hooks, artifact, versionDir, logger);
  if (isNotValidated(predictor)) return predictor;
  const actual: Record<string, TensorData>[] = [];
  try {
    for (const sample of samples) actual.push(realValuedOutputs(exported, await predictor.predict(sample.feeds.artifact, signatureKey)));
  } finally {
    await predictor.dispose();
  }

  const outputs: (OutputComparison | OutputVerdict)[] = [];
  const accuracy = [];
  for (const name of outputNames) {
    const shape = samples[0]!.reference[name]!.shape;
    if (actual.some((a) => !a[name])) {
      outputs.push(missingOutput(name, shape));
      continue;
    }
    const pairs: OutputPair[] = samples.map((s, i) => ({ actual: actual[i]![name]!, reference: s.reference[name]! }));
    const measured = measureOutput(name, pairs);
    accuracy.push(measured);
    const missed = judgement.target && missedTarget(measured, judgement.target);
    if (judgement.tolerance !== undefined) {
      const verdicts: OutputVerdict[] = [];
      for (const [i, s] of samples.entries()) {
        verdicts.push(await judgeOutput(name, pairs[i]!.actual, pairs[i]!.reference, async () => (await s.cpu())[name]!, judgement.tolerance));
      }
      const worst = worstVerdict(verdicts);
      outputs.push(missed ? { ...worst, ok: false, status: 'FAIL', problem: [worst.problem, missed].filter(Boolean).join('; ') } : worst);
    } else {
      outputs.push({
        output: name, shape, maxAbsDiff: measured.maxAbsDiff, maxAbsRef: measured.maxAbsRef, cosine: measured.cosine,
        ok: !missed, ...(missed ? { problem: missed } : {}),
      });
    }
  }
  const target = judgement.target;
  return {
    target: artifact.target, runtime: predictor.format, tolerance: judgement.tolerance ?? null, outputs,
    ok: outputs.every((o) => o.ok),
    worstRelativeDiff: Math.max(0, ...outputs.map(relativeDiff)),
    accuracy: {
      inputs: judgement.inputs, samples: samples.length, outputs: accuracy,
      ...(target ? { target, met: accuracy.every((o) => !missedTarget(o, target)) } : {}),
    },
  };
}
