import type { ArtifactRecord, OutputComparison, ValidationReport } from '@modelport/core';

/** The problem recorded for an output the artifact does not return: no tolerance can accept it. */
export const MISSING_OUTPUT = 'the artifact does not return this output';

/** The comparison recorded for an output of the source that the artifact lacks. */
export function missingOutput(output: string, shape: readonly number[]): OutputComparison {
  return { output, shape, maxAbsDiff: Infinity, maxAbsRef: 0, cosine: 0, ok: false, problem: MISSING_OUTPUT };
}

export function isMissingOutput(o: OutputComparison): boolean {
  return !o.ok && o.problem === MISSING_OUTPUT;
}

/**
 * "the onnx artifact (model.onnx, written by @modelport/exporter-onnx) lacks output "scores"": one
 * line per artifact with missing outputs; a tolerance cannot help, its exporter has to write them.
 */
export function describeMissingOutputs(artifact: ArtifactRecord, report: ValidationReport): string | undefined {
  const names = report.outputs.filter(isMissingOutput).map((o) => `"${o.output}"`);
  if (names.length === 0) return undefined;
  return `the ${artifact.target} artifact (${artifact.path}, written by ${artifact.plugin}) lacks output${names.length > 1 ? 's' : ''} ${names.join(', ')} that the source returns`;
}

/** The message for missing outputs: what is missing where, and who must fix it. */
export function missingOutputsMessage(lines: readonly string[]): string {
  return `${lines.join('; ')}; the exporter must produce every output of the source's signature (a tolerance cannot accept a missing output)`;
}
