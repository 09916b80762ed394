import type { ArtifactRecord } from '@modelport/core';

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
