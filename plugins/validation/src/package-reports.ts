import { runnableArtifacts, type ExportResult } from '@modelport/core';

/**
 * A package's own report, from its variants' ("tfhub" from "tfhub/tfjs", "tfhub/tflite"): ok when
 * all are, outputs named "<variant>/<output>", the worst difference of any; so that summaries
 * showing one line per artifact show the package as validated. Packages with no variant validated
 * get none.
 */
export function summarisePackages(result: ExportResult): void {
  for (const artifact of result.artifacts) {
    if (result.validation[artifact.target]) continue;
    const parts = runnableArtifacts([artifact]).filter((v) => v.target !== artifact.target && result.validation[v.target]);
    if (!parts.length) continue;
    const reports = parts.map((v) => [v.target.slice(artifact.target.length + 1), result.validation[v.target]!] as const);
    const tolerances = reports.map(([, r]) => r.tolerance).filter((t): t is number => t !== null);
    result.validation[artifact.target] = {
      target: artifact.target,
      runtime: reports.map(([, r]) => r.runtime).join('+'),
      tolerance: tolerances.length ? Math.max(...tolerances) : null,
      outputs: reports.flatMap(([variant, r]) => r.outputs.map((o) => ({ ...o, output: `${variant}/${o.output}` }))),
      ok: reports.every(([, r]) => r.ok),
      worstRelativeDiff: Math.max(0, ...reports.map(([, r]) => r.worstRelativeDiff)),
    };
  }
}
