import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError, EXPORT_OPTIONS_SCHEMA, type ExportOptions, type JsonSchema } from '@modelport/core';
import { checkOptions } from './check-options.js';

export const CONFIG_FILE = 'modelport.config.json';

export type PluginOptions = Record<string, unknown>;
/** A plugin as a config or preset names it: `name`, `[name]` or `[name, options]`; `false` disables it. */
export type PluginItem = string | readonly [string] | readonly [string, PluginOptions | boolean];
/** The keyed hooks `choose` can settle. */
export type ChoosableHook = 'loadModel' | 'writeArtifact' | 'serve';

export interface ModelportConfig {
  readonly presets?: readonly string[];
  readonly plugins?: readonly PluginItem[];
  /** hook → key → plugin that answers when several provide the key. */
  readonly choose?: Readonly<Partial<Record<ChoosableHook, Readonly<Record<string, string>>>>>;
  /** Default export options; command-line flags override them. */
  readonly export?: Partial<ExportOptions>;
}

/** A config and where it came from, which reasons and errors quote. */
export interface LoadedConfig {
  readonly config: ModelportConfig;
  /** Absolute path of the file it was read from. */
  readonly file?: string;
  /** 'default' when the project has no config file, 'code' for an object a host passed. */
  readonly origin?: 'file' | 'default' | 'code';
}

/** What a project without modelport.config.json gets. */
export const DEFAULT_CONFIG: ModelportConfig = Object.freeze({ presets: Object.freeze(['default']) });

const fileSchema = createRequire(import.meta.url)('../../config.schema.json') as JsonSchema & { properties: Record<string, unknown> };

/**
 * The schema of modelport.config.json: the shipped file (for editors) with `export` replaced by
 * core's export options, minus `required` and defaults, because these are only defaults themselves
 * and must not override a flag the CLI sets.
 */
export const CONFIG_SCHEMA: JsonSchema = Object.freeze({
  ...fileSchema,
  properties: { ...fileSchema.properties, export: exportDefaultsSchema() },
});

/** Export options as defaults (a config's or a preset's `export`): every key optional, no defaults filled in. */
export function exportDefaultsSchema(): JsonSchema {
  const { required: _required, properties, ...rest } = EXPORT_OPTIONS_SCHEMA as { required?: unknown; properties: Record<string, Record<string, unknown>> };
  const withoutDefaults = Object.fromEntries(Object.entries(properties).map(([key, { default: _default, ...schema }]) => [key, schema]));
  return { ...rest, properties: withoutDefaults };
}

/** Checks a config object; the OptionsError names every bad key and the file (`unknown option "plugin"; did you mean "plugins"?`). */
export function validateConfig(value: unknown, file?: string): ModelportConfig {
  return checkOptions<ModelportConfig>(CONFIG_SCHEMA, value, { what: file ? path.basename(file) : 'modelport config', sources: {}, ...(file ? { file } : {}) });
}

/** Reads and validates a config file. */
export async function readConfig(file: string): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the config: ${(e as Error).message}`, { file: absolute }, { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`the config is not valid JSON: ${(e as Error).message}`, { file: absolute }, { cause: e });
  }
  return { config: validateConfig(value, absolute), file: absolute, origin: 'file' };
}

/**
 * The project's config: `file` when given, else `<cwd>/modelport.config.json` when present, else
 * DEFAULT_CONFIG. Only the project folder is looked at, not its parents, so a config never leaks
 * in from a folder above.
 */
export async function loadConfig(options: { cwd?: string; file?: string } = {}): Promise<LoadedConfig> {
  if (options.file) return readConfig(path.resolve(options.cwd ?? process.cwd(), options.file));
  const candidate = path.resolve(options.cwd ?? process.cwd(), CONFIG_FILE);
  const exists = await access(candidate).then(() => true, () => false);
  return exists ? readConfig(candidate) : { config: DEFAULT_CONFIG, origin: 'default' };
}

/** The name and options of a plugin item; options `false` means disabled, `true` means no options. */
export function pluginItemParts(item: PluginItem): { name: string; options: PluginOptions | false } {
  if (typeof item === 'string') return { name: item, options: {} };
  const options = item[1];
  return { name: item[0], options: options === false ? false : options === true || options === undefined ? {} : options };
}
