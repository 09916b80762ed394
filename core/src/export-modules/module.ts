import { contribute, defineContributionPoint } from '../contributions.js';
import type { DType, TensorValues } from '../graph/dtype.js';
import type { NodeSpec } from '../graph/builder.js';
import type { Signature, SignatureTensor, TensorRef } from '../graph/types.js';
import type { JsonSchema } from '../options.js';
import type { Plugin } from '../plugin.js';

/**
 * How a module adds IR ops to the signature it is part of. Names are local to the module: the
 * composer prefixes them with "<signature>/<module>/" and makes them unique, so two signatures
 * using one module never clash.
 */
export interface ModuleOps {
  /** A new input of the signature, fed by callers under `key` (e.g. "image_tensor"); -1 for open dims. */
  input(key: string, dtype: DType, shape: readonly number[]): TensorRef;
  constant(name: string, dtype: DType, shape: readonly number[], values: TensorValues | readonly number[]): TensorRef;
  /** An op; returns its first output (`tensorRef(returned node name, i)` for the others: use `outputRef`). */
  node(name: string, spec: NodeSpec): TensorRef;
  /** Output `index` of the node whose first output is `ref`. */
  outputRef(ref: TensorRef, index: number): TensorRef;
}

/** What a module sees while it builds. */
export interface ModuleContext {
  /** The signature key being built ("serving_default"). */
  readonly signature: string;
  /** The module's name ("image"). */
  readonly module: string;
  readonly ops: ModuleOps;
  /** The model's own signature: its inputs and outputs with dtype and shape (-1 = open). */
  readonly model: Signature;
  /**
   * Facts one stage leaves for later ones of the same signature, e.g. the image stage's
   * IMAGE_INFO_KEY (the letterbox of each image) that the detection stage maps boxes back with.
   */
  readonly shared: Map<string, unknown>;
  /** An absolute path for a file named in the module's options (beside the options file, else the working folder). */
  resolve(file: string): string;
  /** Throws a ModuleError naming this module, this signature and, when given, the option at fault. */
  fail(message: string, option?: string): never;
}

/** An input stage's result: what feeds the model, and outputs it adds to the signature. */
export interface InputStageResult {
  /** Model input key → the tensor that now feeds it. Model inputs not listed stay fed by callers. */
  readonly feeds: Readonly<Record<string, TensorRef>>;
  /** Outputs the stage adds (e.g. image_info), by key. */
  readonly outputs?: Readonly<Record<string, SignatureTensor>>;
  /** JSON kept with the signature (Signature.moduleMetadata[module]) in every artifact: what a caller needs to read the outputs. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** An output stage's result: the signature outputs it returns, in the order callers should see them. */
export interface OutputStageResult {
  readonly outputs: Readonly<Record<string, SignatureTensor>>;
  /** JSON kept with the signature (Signature.moduleMetadata[module]) in every artifact, e.g. the class labels. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

interface ModuleBase {
  readonly name: string;
  /** One line for `modelport plugins` and inspect. */
  readonly description?: string;
  /** Options are checked against it (defaults filled in) before build runs. */
  readonly optionsSchema?: JsonSchema;
}

/** Preprocessing: takes new signature inputs and feeds one or more of the model's inputs. */
export interface InputModule<Options = any> extends ModuleBase {
  readonly kind: 'input';
  build(ctx: ModuleContext, options: Options): InputStageResult;
}

/**
 * Postprocessing: reads the model's outputs (refs of this signature's copy of the model, keys and
 * shapes of the model's signature) and returns the signature's outputs.
 */
export interface OutputModule<Options = any> extends ModuleBase {
  readonly kind: 'output';
  build(ctx: ModuleContext, options: Options, modelOutputs: Readonly<Record<string, SignatureTensor>>): OutputStageResult;
}

export type ExportModule<Options = any> = InputModule<Options> | OutputModule<Options>;

/** Modules signatures can be built from, credited to the plugin that contributed each. */
export const EXPORT_MODULES = defineContributionPoint<ExportModule>(
  'core.export-modules', 'an export module: preprocessing or postprocessing built into exported signatures');

/**
 * The plugin of a module: applying it contributes the module to EXPORT_MODULES. The plugin takes no
 * options of its own: module options come with each export (moduleOptions, --module-options).
 */
export function exportModulePlugin<Options>(module: ExportModule<Options>, plugin: { readonly name: string; readonly version: string }): Plugin<Record<string, unknown>> & { readonly module: ExportModule<Options> } {
  return {
    name: plugin.name,
    version: plugin.version,
    module,
    apply(_hooks, _options, container) {
      contribute(container, EXPORT_MODULES, module as ExportModule);
    },
  };
}

/** The key under which the image stage shares its letterbox: ImageInfo. */
export const IMAGE_INFO_KEY = 'image.info';

/**
 * What the image stage tells later stages: the model-sized image holds the caller's image scaled by
 * `scale` ([batch, 2] y, x) and placed at offset 0 with the rest padding; `valid` = the fraction
 * of the model's height and width the image covers ([batch, 2]). Without letterboxing, scale
 * maps the whole image and valid is [1, 1].
 */
export interface ImageInfo {
  /** [batch, 2] float32: the part of the model's input (height, width fractions) the image fills. */
  readonly valid: TensorRef;
}
