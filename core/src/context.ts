import type { Graph } from './graph/types.js';
import type { AccuracyTarget, QuantizeMode } from './graph/quantization/modes.js';
import type { Logger } from './logger.js';
import type { Predictor } from './predictor.js';
import type { ValidationReport } from './tensors/compare.js';
import type { TensorData } from './tensors/tensor-data.js';

/** Where a model comes from: a file of a source format, or an object in memory (a tf.LayersModel). */
export interface ModelSource {
  /** The loadModel key: 'tfjs' for model.json files (graph or layers), 'tfjs-layers-model' for an in-memory model. */
  readonly format: string;
  readonly path?: string;
  readonly model?: unknown;
  /**
   * A graph already in memory (built with GraphBuilder, or loaded by the host): the pipeline uses
   * it as the loaded model and calls no importer. `format` is then only recorded ('graph').
   */
  readonly graph?: Graph;
  /** The model's name in the output repository; defaults from the file name. */
  readonly name?: string;
}

/** Export options every plugin may read; the JSON schema is EXPORT_OPTIONS_SCHEMA. */
export interface ExportOptions {
  readonly targets: readonly string[];
  readonly out: string;
  readonly modelName?: string;
  /** A fixed version number; by default one more than the highest existing version. */
  readonly version?: number;
  /** --quantize: how weights (and for int8 modes, activations) are stored; quantizer plugins act on it. */
  readonly quantize?: QuantizeMode;
  /** Weight names (or globs with *) that quantization applies to; all float weights by default. */
  readonly quantizeWeights?: readonly string[];
  /** int8-full: the integer type of the model's inputs and outputs (uint8: what LiteRT.js can feed). */
  readonly ioType?: 'int8' | 'uint8';
  /** Calibration samples: a folder of images (png, jpg) or .npy files, or a JSON file like validationInputs. */
  readonly calibrationData?: string;
  /** 'random': calibrate on seeded noise, stated in the summary; only when asked, never by default. */
  readonly calibration?: 'data' | 'random';
  /** How many samples set the ranges (default 100; all when fewer). */
  readonly calibrationSteps?: number;
  /** Image pixels p (0–255) become p × scale + offset; default [1/255, 0]. */
  readonly calibrationNormalize?: readonly [number, number];
  /** Ranges from this percentile of |values| (e.g. 99.99) instead of min and max. */
  readonly calibrationPercentile?: number;
  /** Node names (or globs with *) that stay float. */
  readonly keepFloat?: readonly string[];
  /** Keep the worst layers float until the quantized model meets this against the float one. */
  readonly accuracyTarget?: AccuracyTarget;
  /** Where to write the per-layer quantization error report (JSON). */
  readonly quantizeReport?: string;
  readonly validate: boolean;
  /** Largest max|Δ| allowed, relative to max|ref| of each output. */
  readonly tolerance?: number;
  /**
   * Dimensions to pin per input (signature input name or node name; "" = the only input), -1
   * keeping one dynamic: applied once before the passes, so every target sees the same shapes.
   */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /**
   * Values to freeze inputs to (same names as inputShapes): each becomes a constant of its dtype
   * and shape, leaves the signature, and is recorded in the signature's frozenInputs.
   */
  readonly inputValues?: Readonly<Record<string, number | readonly number[]>>;
  /** A JSON file of inputs by signature input name ({ name: { shape, dtype?, data } }). */
  readonly validationInputs?: string;
  readonly seed?: number;
  /** Per-target options, e.g. { tfjs: { shardSizeBytes: 4194304 } }. */
  readonly targetOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Signatures built from export modules: key → module names, input modules first (--signature KEY=MODULE,…). */
  readonly signatures?: Readonly<Record<string, readonly string[]>>;
  /** Options by module name, or by "<signature>/<module>" for one signature (--module-options FILE). */
  readonly moduleOptions?: Readonly<Record<string, unknown>>;
  /** The file moduleOptions were read from: files they name resolve beside it. */
  readonly moduleOptionsFile?: string;
  /** The key the model's own signature is kept under, or false to drop it (--source-signature). */
  readonly sourceSignature?: string | false;
}

export interface ExportRequest {
  readonly source: ModelSource;
  readonly options: ExportOptions;
  /**
   * Where options were set, by option path ("inputValues.ratio" → "--input-value on the command
   * line"), for errors that should send the user to the right place; absent = the export options.
   */
  readonly origins?: Readonly<Record<string, string>>;
}

/** Shared by all hooks of one export. Plugins add notes for the summary and read what others set. */
export interface ExportContext {
  readonly request: ExportRequest;
  readonly options: ExportOptions;
  readonly logger: Logger;
  /** The graph as loaded, before passes and quantization: the reference validation compares against. */
  sourceGraph?: Graph;
  /**
   * sourceGraph with the export's module signatures built into it (set when the export asks for
   * some): validation runs each signature of it as the reference of the artifacts' signatures.
   */
  referenceGraph?: Graph;
  /**
   * The source model run by its own runtime, when the importer can provide it (a Keras layers
   * model's predict). Validation compares against it rather than against sourceGraph, so that an
   * importer's own mistakes are caught. The pipeline disposes it when the export ends.
   */
  reference?: Predictor;
  /**
   * Inputs a quantizer set apart from its calibration samples, by signature input name: validation
   * measures the quantized artifacts' accuracy on them.
   */
  heldOutSamples?: readonly Readonly<Record<string, TensorData>>[];
  /** Lines for the export summary ("tfjs: 3 weights quantized to uint8"). */
  readonly notes: string[];
  /** Per-plugin scratch space, keyed by plugin name. */
  readonly data: Map<string, unknown>;
}

/** What an exporter receives besides the graph. */
export interface WriteArtifactContext {
  readonly export: ExportContext;
  readonly target: string;
  /** The version directory being written (a temp directory until the export completes). */
  readonly dir: string;
}

/**
 * One artifact an exporter wrote; paths are relative to the version directory. The host checks it
 * after writeArtifact (checkArtifactRecord): its target, its plugin, and every file it lists.
 */
export interface ArtifactRecord {
  readonly target: string;
  /** The artifact format, the `serve` key of the runtime that runs it. */
  readonly format: string;
  /** The plugin that wrote it: the one tapping writeArtifact for the target. */
  readonly plugin: string;
  /** The file a runtime opens (e.g. "tfjs/model.json"). */
  readonly path: string;
  /** Every file it wrote (files, not folders), each hashed into export.json. */
  readonly files: readonly string[];
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ExportResult {
  readonly context: ExportContext;
  /** The graph the exporters received. */
  readonly graph: Graph;
  /** The version directory (still the temp one while afterExport runs). */
  readonly dir: string;
  readonly artifacts: readonly ArtifactRecord[];
  /** Filled by validation plugins, per target. */
  readonly validation: Record<string, ValidationReport>;
}

/** Asks a runtime for a Predictor over an artifact on disk. */
export interface ServeRequest {
  readonly format: string;
  /** Absolute path of the artifact's main file. */
  readonly path: string;
  readonly logger: Logger;
  readonly options?: Readonly<Record<string, unknown>>;
}
