import { defineContributionPoint } from './contributions.js';

/** One input or output of a signature, as the artifact's format declares it. */
export interface DescribedTensor {
  /** The signature's key for it ("image", "logits"). */
  readonly name: string;
  /** The tensor behind the key, where the format names one apart from the key. */
  readonly tensor?: string;
  readonly dtype: string;
  /**
   * Dimensions: numbers (-1 where the format says "decided at run time") or symbolic expressions
   * ("N", "ceil(H/32)"); null when the rank is unknown.
   */
  readonly shape: readonly (number | string)[] | null;
  /** Whether a dimension (or the rank) is given only at run time. */
  readonly dynamic: boolean;
  /** A few words on the shape: "source [-1, -1, -1, 3], pinned at export". */
  readonly note?: string;
}

/** An input of the source that the export replaced by a constant. */
export interface DescribedFrozenInput {
  readonly name: string;
  /** The tensor the source fed. */
  readonly tensor?: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

export interface DescribedSignature {
  readonly inputs: readonly DescribedTensor[];
  readonly outputs: readonly DescribedTensor[];
  readonly frozenInputs: readonly DescribedFrozenInput[];
  /** The export modules the signature was built from, when the format records them (["image", "model", "detection"]). */
  readonly stages?: readonly string[];
}

/** A fact particular to a format (opset, schema version, weight bytes), shown after the ops. */
export interface ArtifactDetail {
  readonly label: string;
  readonly value: string | number;
  /** "bytes": the value is a byte count, shown as KB/MB. */
  readonly unit?: 'bytes';
}

/** What `modelport inspect` shows of a model file, whatever its format. */
export interface ArtifactDescription {
  /** The describer's format ("tfjs", "tflite", "onnx"). */
  readonly format: string;
  /** One line on what the file is and who made it, when the format says. */
  readonly summary?: string;
  readonly signatures: Readonly<Record<string, DescribedSignature>>;
  /** Lines about the shapes beyond the table (what the symbols mean, what the export pinned). */
  readonly shapeNotes: readonly string[];
  /** Op (or operator) counts by op name. */
  readonly ops: Readonly<Record<string, number>>;
  /** What the format calls one op occurrence: "nodes", "operators". */
  readonly opUnit: string;
  readonly details: readonly ArtifactDetail[];
  /** Bytes on disk: the file and the files it names (weights). */
  readonly size: number;
}

/**
 * Describes model files of one format for `modelport inspect`. `matches` looks at the path (and may
 * read the file) and should be cheap; `describe` reads it and throws a ModelLoadError naming the
 * file when it is not a valid model of the format.
 */
export interface ArtifactDescriber {
  /** The format's name, as `--to` and artifacts use it. */
  readonly format: string;
  /** One line: which files ("a tfjs model.json (graph or layers model)"). */
  readonly description: string;
  matches(file: string): boolean | Promise<boolean>;
  describe(file: string): Promise<ArtifactDescription>;
}

/** The formats `modelport inspect` can describe; runtimes and importers contribute theirs. */
export const ARTIFACT_DESCRIBERS = defineContributionPoint<ArtifactDescriber>(
  'core.artifact-describers', 'describes a model file of one format (signatures, ops, size) for inspect',
);

/** Counts of each op name: an op histogram. */
export function countOpNames(ops: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of ops) counts[op] = (counts[op] ?? 0) + 1;
  return counts;
}
