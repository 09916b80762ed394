import { readPluginPackage, type PluginPackage } from '@modelport/core';
import type { SpecialTokens } from './tokenizer.js';

const pkg = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export const PLUGIN_NAME = pkg.name;
export const PLUGIN_VERSION = pkg.version;
export const OPTIONS_SCHEMA = pkg.optionsSchema;

export interface TextOptions {
  /** vocab.txt; required. */
  readonly vocab?: string;
  readonly signature?: string;
  readonly lowerCase?: boolean;
  readonly stripAccents?: boolean;
  readonly tokenizeChineseChars?: boolean;
  readonly sequenceLength?: number;
  readonly maxCharsPerWord?: number;
  readonly neverSplit?: readonly string[];
  readonly tokens?: Partial<SpecialTokens>;
  readonly inputNames?: { readonly wordIds?: string; readonly mask?: string; readonly typeIds?: string };
}
