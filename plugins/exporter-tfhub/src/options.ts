/** The tfhub target's options (options.schema.json), after defaults. */
export interface ExporterTfhubOptions {
  readonly directory: string;
  readonly variants: readonly ('savedmodel' | 'tfjs')[];
  readonly tflite: boolean;
  readonly publisher: string;
  readonly modelName?: string;
  readonly version: number;
  readonly task?: string;
  readonly networkArchitecture?: string;
  readonly dataset?: string;
  readonly license: string;
  readonly language?: string;
  readonly fineTunable: boolean;
  readonly description?: string;
  readonly assetUrl?: string;
  readonly labels?: string;
  readonly vocab?: string;
  readonly doLowerCase?: boolean;
}

/** A format written inside the package, each by the exporter of its own target. */
export type VariantName = 'savedmodel' | 'tfjs' | 'tflite';

/** The plugin a user installs for each variant's target, named in the error when none is applied. */
export const VARIANT_PLUGINS: Readonly<Record<VariantName, string>> = Object.freeze({
  savedmodel: '@modelport/exporter-savedmodel',
  tfjs: '@modelport/exporter-tfjs',
  tflite: '@modelport/exporter-tflite',
});

/** The variants of one export, in the order they are written and documented. */
export function variantsOf(options: ExporterTfhubOptions): VariantName[] {
  const order: VariantName[] = ['savedmodel', 'tfjs'];
  return [...order.filter((v) => options.variants.includes(v as 'savedmodel' | 'tfjs')), ...(options.tflite ? ['tflite' as const] : [])];
}
