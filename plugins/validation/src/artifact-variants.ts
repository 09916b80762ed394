import type { ArtifactRecord, ExportResult } from '@modelport/core';

/** One format inside a packaging artifact, as its record's details.variants lists it (the tfhub package). */
interface ArtifactVariant {
  readonly variant: string;
  readonly format: string;
  readonly plugin: string;
  readonly path: string;
  readonly files: readonly string[];
}

function isVariant(v: unknown): v is ArtifactVariant {
  const x = v as Partial<ArtifactVariant> | null;
  return !!x && typeof x.variant === 'string' && typeof x.format === 'string' && typeof x.path === 'string' && typeof x.plugin === 'string' && Array.isArray(x.files);
}

/**
 * The artifacts to run: a record whose details list `variants` (a package holding other formats,
 * such as tfhub's SavedModel, tfjs and tflite folders) has no runtime of its own, so each variant is
 * run instead, as an artifact of its format under the target "<target>/<variant>".
 */
export function runnableArtifacts(artifacts: readonly ArtifactRecord[]): ArtifactRecord[] {
  return artifacts.flatMap((a) => {
    const variants = a.details?.variants;
    if (!Array.isArray(variants) || !variants.length || !variants.every(isVariant)) return [a];
    return variants.map((v) => ({ target: `${a.target}/${v.variant}`, format: v.format, plugin: v.plugin, path: v.path, files: v.files }));
  });
}

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
