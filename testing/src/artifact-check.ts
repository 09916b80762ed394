import type { ValidationReport } from '@modelport/core';
import type { PipelineRun } from './run-pipeline.js';

/** An artifact that does not compute what its source computes, or could not be run at all. */
export class ArtifactMismatchError extends Error {
  constructor(readonly target: string, message: string) {
    super(`artifact "${target}": ${message}`);
    this.name = 'ArtifactMismatchError';
  }
}

/**
 * Checks that the artifact of `target`, run in its own runtime (the `serve` plugin for its format),
 * gave the source's outputs on the same inputs, within the export's tolerance; returns the report.
 * The run must have validated (the default) and a runtime for the format must have been applied.
 */
export function expectArtifactMatchesSource(run: PipelineRun, target: string): ValidationReport {
  const artifact = run.artifact(target);
  if (!artifact.validation) {
    const note = run.notes.find((n) => n.startsWith(`${target}: not validated`));
    const why = note ? note.slice(`${target}: `.length) : run.notes.find((n) => n.startsWith('validation skipped')) ?? 'no validation report';
    throw new ArtifactMismatchError(target, `${why}; apply a runtime plugin for format "${artifact.format}" and leave validate on`);
  }
  const off = artifact.validation.outputs.filter((o) => !o.ok);
  if (off.length) throw new ArtifactMismatchError(target, off.map((o) => `output "${o.output}": ${'problem' in o ? o.problem : 'differs'}`).join('; '));
  return artifact.validation;
}
