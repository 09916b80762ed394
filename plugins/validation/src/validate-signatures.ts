import {
  judgeOutput, relativeDiff, type ArtifactRecord, type ExportResult, type Hooks, type OutputVerdict, type Predictor,
  type SignatureValidation, type ValidationReport, runnableArtifacts,
} from '@modelport/core';
import { isIntegerOutput, judgeExactly } from './exact-outputs.js';
import { realValuedOutputs } from './integer-edges.js';
import { describeMissingOutputs, isMissingOutput, missingOutput, missingOutputsMessage } from './missing-outputs.js';
import { isNotValidated, serveArtifact } from './serve-artifact.js';
import { runSignatureReferences, type SignatureReference } from './signature-references.js';
import { DEFAULT_TOLERANCE } from './tolerance.js';
import { INTEGER_MODES } from './validate-quantized.js';

/** The runtime of an artifact lacks a signature of the export: no tolerance can accept that. */
const UNEXPOSED = 'its runtime does not expose this signature';

/** Judges every output of one signature of one artifact; an integer output must match exactly. */
async function judgeSignature(predictor: Predictor, ref: SignatureReference, tolerance: number): Promise<OutputVerdict[]> {
  // Integer edges (int8-full) answer quantized values: compared as the real values they stand for.
  const actual = realValuedOutputs(ref.exported, await predictor.predict(ref.inputs, ref.key));
  const verdicts: OutputVerdict[] = [];
  for (const [name, reference] of Object.entries(ref.outputs)) {
    const output = `${ref.key}/${name}`;
    const got = actual[name];
    if (!got) verdicts.push({ ...missingOutput(output, reference.shape), status: 'FAIL', reference: 'primary' });
    else if (isIntegerOutput(reference.dtype)) verdicts.push(judgeExactly(output, got, reference));
    else verdicts.push(await judgeOutput(output, got, reference, async () => (await ref.cpu())[name]!, tolerance));
  }
  return verdicts;
}

/** The report of one artifact over every signature: outputs named "<signature>/<output>", and a summary per signature. */
async function validateArtifactSignatures(
  predictor: Predictor, artifact: ArtifactRecord, references: readonly SignatureReference[], tolerance: number,
): Promise<ValidationReport> {
  const outputs: OutputVerdict[] = [];
  const signatures: Record<string, SignatureValidation> = {};
  for (const ref of references) {
    const summary = { ...(ref.exported.stages ? { stages: ref.exported.stages } : {}), inputs: Object.fromEntries(Object.entries(ref.inputs).map(([k, t]) => [k, t.shape])) };
    if (!predictor.signatures[ref.key]) {
      signatures[ref.key] = { ...summary, ok: false, problem: `${UNEXPOSED} (it exposes ${Object.keys(predictor.signatures).map((k) => `"${k}"`).join(', ') || 'none'})` };
      continue;
    }
    const verdicts = await judgeSignature(predictor, ref, tolerance);
    outputs.push(...verdicts);
    signatures[ref.key] = { ...summary, ok: verdicts.every((v) => v.ok) };
  }
  return {
    target: artifact.target, runtime: predictor.format, tolerance, outputs, signatures,
    ok: Object.values(signatures).every((s) => s.ok),
    worstRelativeDiff: Math.max(0, ...outputs.map(relativeDiff)),
  };
}

/**
 * Validates every signature of the exported graph (module signatures and the source's own) in
 * every artifact's runtime against the reference graph in tfjs. Records the reports in
 * result.validation and returns why the export fails, if it does. In integer modes without
 * --tolerance the figures are noted, not judged (a quantized model is not expected to match).
 */
export async function validateSignatures(hooks: Hooks, result: ExportResult, fillUnknownDims: number): Promise<string | undefined> {
  const ctx = result.context;
  const mode = ctx.options.quantize ?? 'none';
  const judged = !INTEGER_MODES.has(mode as never) || ctx.options.tolerance !== undefined;
  const tolerance = ctx.options.tolerance ?? DEFAULT_TOLERANCE[mode] ?? DEFAULT_TOLERANCE.uint8!;
  if (ctx.options.validationInputs) ctx.notes.push(`validation: --inputs is not used with module signatures; each signature is fed seeded inputs that follow it`);
  const { references, dispose } = await runSignatureReferences(ctx, result.graph, ctx.referenceGraph!, fillUnknownDims);
  const failures: string[] = [];
  const missing: string[] = [];
  const unexposed: string[] = [];
  try {
    for (const artifact of runnableArtifacts(result.artifacts)) {
      const predictor = await serveArtifact(hooks, artifact, result.dir, ctx.logger);
      if (isNotValidated(predictor)) { ctx.notes.push(`${artifact.target}: not validated: ${predictor.notValidated}`); continue; }
      let report: ValidationReport;
      try {
        report = await validateArtifactSignatures(predictor, artifact, references, tolerance);
      } finally {
        await predictor.dispose();
      }
      result.validation[artifact.target] = report;
      const lacking = Object.entries(report.signatures!).filter(([, s]) => s.problem).map(([key]) => `"${key}"`);
      if (lacking.length) {
        const exposes = Object.keys(predictor.signatures).map((k) => `"${k}"`).join(', ') || 'none';
        unexposed.push(`the ${artifact.target} artifact (${artifact.path}, written by ${artifact.plugin}): ${report.runtime} does not expose signature${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} (it exposes ${exposes})`);
      }
      const lacks = describeMissingOutputs(artifact, report);
      if (lacks) missing.push(lacks);
      for (const o of report.outputs) {
        if (isMissingOutput(o)) continue;
        const where = `${artifact.target} signature "${o.output.slice(0, o.output.indexOf('/'))}" output "${o.output.slice(o.output.indexOf('/') + 1)}"`;
        if (!o.ok) (judged ? failures : ctx.notes).push(`${where}: ${o.problem}`);
        else if ('status' in o && o.status !== 'pass') ctx.notes.push(`${where}: ${o.status}, ${o.note}`);
      }
    }
  } finally {
    dispose();
  }
  const cannot = [
    ...(unexposed.length ? [`${unexposed.join('; ')}; every signature of the export must be callable in each artifact's runtime`] : []),
    ...(missing.length ? [missingOutputsMessage(missing)] : []),
  ];
  if (cannot.length) return `${cannot.join('; ')}${failures.length ? `; besides, the exported model differs from the source: ${failures.join('; ')}` : ''}`;
  if (failures.length) return `the exported model differs from the source: ${failures.join('; ')} (set --tolerance to accept)`;
  return undefined;
}
