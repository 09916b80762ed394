import { readFileSync } from 'node:fs';
import { readPluginPackage, type JsonSchema, type ModuleContext } from '@modelport/core';

const pkg = readPluginPackage(import.meta.url);
export const PLUGIN_NAME = pkg.name;
export const PLUGIN_VERSION = pkg.version;
/**
 * The module's options, given with each export (moduleOptions). Not the manifest's "options": the
 * plugin itself takes none.
 */
export const OPTIONS_SCHEMA = JSON.parse(readFileSync(new URL('../../options.schema.json', import.meta.url), 'utf8')) as JsonSchema;
export const MODULE_NAME = 'classification';

export type Activation = 'none' | 'softmax' | 'sigmoid';
export type ClassificationOutput = 'logits' | 'probs' | 'classes' | 'scores';
export const ALL_OUTPUTS: readonly ClassificationOutput[] = ['logits', 'probs', 'classes', 'scores'];

export interface ClassificationOptions {
  readonly output?: string;
  readonly topK?: number;
  readonly softmax?: boolean;
  readonly activation?: Activation;
  readonly outputs?: readonly ClassificationOutput[];
  readonly labels?: string | readonly string[];
  readonly labelOffset?: number;
}

/**
 * The activation asked for. `softmax: true` means what it means to the image-classification adapter,
 * so it agrees with `activation` or is refused; `activation` alone decides otherwise.
 */
export function activationOf(ctx: ModuleContext, options: ClassificationOptions): Activation {
  if (options.softmax === true && options.activation !== undefined && options.activation !== 'softmax') {
    ctx.fail(`"softmax": true asks for softmax but "activation" is "${options.activation}": give one of them`, 'activation');
  }
  return options.activation ?? (options.softmax ? 'softmax' : 'none');
}
