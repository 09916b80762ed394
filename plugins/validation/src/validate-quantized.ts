import {
  DEFAULT_SIGNATURE, defaultSignature, frozenInputTensor, type AccuracyReport, type ExportResult, type Hooks, type QuantizeMode, type TensorData, runnableArtifacts,
} from '@modelport/core';
import { describeAccuracy } from './accuracy.js';
import { edgeFeeds } from './integer-edges.js';
import { measureArtifact, type MeasuredSample } from './measure-artifact.js';
import { describeMissingOutputs, isMissingOutput } from './missing-outputs.js';
import { isNotValidated } from './serve-artifact.js';
import { openSource } from './reference.js';
import { accuracySamples } from './samples.js';

/** Modes whose artifacts compute on integers: judged by accuracy, not by the float tolerance. */
export const INTEGER_MODES: ReadonlySet<QuantizeMode> = new Set(['dynamic', 'int8', 'int8-full']);

/** "on 40 held-out samples", "on the --inputs file", "on seeded random inputs". */
function describeSamples(inputs: AccuracyReport['inputs'], count: number): string {
  if (inputs === 'held-out') return `on ${count} held-out sample${count === 1 ? '' : 's'}`;
  return inputs === 'inputs file' ? 'on the --inputs file' : 'on seeded random inputs';
}

/**
 * Measures every integer-quantized artifact in its runtime against the source on the quantizer's
 * held-out samples (else --inputs or random inputs) and records max |Δ|, cosine and top-1
 * agreement. Returns the failures: outputs that miss --accuracy-target, or --tolerance when given,
 * and apart from them the artifacts that lack outputs of the source.
 */
export async function validateQuantized(hooks: Hooks, result: ExportResult, fillUnknownDims: number): Promise<{ failures: string[]; missing: string[] }> {
  const ctx = result.context;
  const source = ctx.sourceGraph!;
  const key = source.signatures[DEFAULT_SIGNATURE] ? DEFAULT_SIGNATURE : Object.keys(source.signatures)[0] ?? DEFAULT_SIGNATURE;
  // The exported signature says which inputs and outputs the artifacts take as integers.
  const exported = defaultSignature(result.graph);
  const { inputs, samples } = await accuracySamples(ctx, exported, fillUnknownDims);
  const frozen = Object.fromEntries(Object.entries(exported.frozenInputs ?? {}).map(([k, f]) => [k, frozenInputTensor(f)]));
  const runner = await openSource(ctx, source);
  const failures: string[] = [];
  const missing: string[] = [];
  try {
    const measured: MeasuredSample[] = [];
    for (const sample of samples) {
      const feeds = edgeFeeds(exported, sample);
      const sourceInputs = { ...feeds.source, ...frozen };
      let cpu: Promise<Record<string, TensorData>> | undefined;
      measured.push({ feeds, reference: await runner.run(sourceInputs), cpu: () => (cpu ??= runner.runOnCpu(sourceInputs)) });
    }
    const outputNames = Object.keys(runner.signature.outputs);
    const judgement = { inputs, target: ctx.options.accuracyTarget, tolerance: ctx.options.tolerance };
    const on = describeSamples(inputs, samples.length);
    for (const artifact of runnableArtifacts(result.artifacts)) {
      const report = await measureArtifact(hooks, artifact, result.dir, key, exported, outputNames, measured, judgement, ctx.logger);
      if (isNotValidated(report)) { ctx.notes.push(`${artifact.target}: not validated: ${report.notValidated}`); continue; }
      result.validation[artifact.target] = report;
      const lacks = describeMissingOutputs(artifact, report);
      if (lacks) missing.push(lacks);
      for (const o of report.outputs) if (!o.ok && !isMissingOutput(o)) failures.push(`${artifact.target} output "${o.output}" in ${report.runtime} ${on}: ${o.problem}`);
      for (const o of report.accuracy!.outputs) ctx.notes.push(`${artifact.target} (${ctx.options.quantize}, ${report.runtime}, ${on}) output "${o.output}": ${describeAccuracy(o)}`);
      const target = judgement.target;
      if (target?.metric === 'top1' && report.accuracy!.outputs.every((o) => o.top1 === undefined)) {
        ctx.notes.push(`${artifact.target}: no classifier-like output ([…, classes]) to hold to the accuracy target top1=${target.value}`);
      }
    }
  } finally {
    runner.dispose();
  }
  return { failures, missing };
}
