import type { ArtifactRecord } from './context.js';

/**
 * One format inside a packaging artifact (the tfhub package holds a SavedModel, a tfjs model and a
 * .tflite), listed in its record's details.variants; paths relative to the version folder.
 */
export interface ArtifactVariant {
  readonly variant: string;
  /** The `serve` key of the runtime that runs it. */
  readonly format: string;
  /** The plugin that wrote it. */
  readonly plugin: string;
  /** The file its runtime opens. */
  readonly path: string;
  readonly files: readonly string[];
}

function isArtifactVariant(v: unknown): v is ArtifactVariant {
  const x = v as Partial<ArtifactVariant> | null;
  return !!x && typeof x.variant === 'string' && typeof x.format === 'string' && typeof x.path === 'string' && typeof x.plugin === 'string' && Array.isArray(x.files);
}

/**
 * The artifacts a runtime can open: a record whose details list `variants` has no runtime of its
 * own, so each variant stands in its place, as an artifact of its format under the target
 * "<target>/<variant>"; other records as they are. Validation and servers read records through it.
 */
export function runnableArtifacts(records: readonly ArtifactRecord[]): ArtifactRecord[] {
  return records.flatMap((a) => {
    const variants = a.details?.variants;
    if (!Array.isArray(variants) || !variants.length || !variants.every(isArtifactVariant)) return [a];
    return variants.map((v) => ({ target: `${a.target}/${v.variant}`, format: v.format, plugin: v.plugin, path: v.path, files: v.files }));
  });
}
