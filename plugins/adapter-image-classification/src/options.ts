import { readPluginPackage, type PluginPackage } from '@modelport/core';
import type { Normalization } from '@modelport/images';

const pkg = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export const PLUGIN_NAME = pkg.name;
export const PLUGIN_VERSION = pkg.version;
export const OPTIONS_SCHEMA = pkg.optionsSchema;

export interface ImageClassificationOptions extends Partial<Normalization> {
  readonly signature?: string;
  readonly input?: string;
  readonly output?: string;
  readonly size?: readonly [number, number];
  readonly channels?: 1 | 3;
  readonly labels?: string | readonly string[];
  readonly labelOffset?: number;
  readonly topK?: number;
  readonly softmax?: boolean;
  readonly maxImagePixels?: number;
}
