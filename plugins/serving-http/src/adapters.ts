import { existsSync } from 'node:fs';
import path from 'node:path';
import { OptionsError, validateOptions, type JsonSchema, type Logger, type Predictor } from '@modelport/core';
import type { Container } from './options.js';

/**
 * A serving adapter: wraps a model's Predictor with pre- and post-processing (image decoding,
 * tokenization, box decoding) and returns a Predictor with the signatures clients call. The
 * returned Predictor owns the inner one: disposing it disposes both.
 */
export interface ServingAdapter<Options = any> {
  readonly name: string;
  readonly version?: string;
  readonly optionsSchema?: JsonSchema;
  wrap(predictor: Predictor, options: Options, context: AdapterContext): Predictor | Promise<Predictor>;
}

/** Where the adapted model is; files named in adapter options (labels, vocab) resolve through it. */
export interface AdapterContext {
  readonly model: string;
  readonly version: number;
  /** The version directory. */
  readonly dir: string;
  /** An absolute path for a file named in options: as is when absolute, else in the version directory, else beside the config file. */
  resolveFile(file: string): string;
  readonly logger: Logger;
}

/**
 * Adapter plugins bind themselves here in `apply` (a multi-injected contribution, so the container
 * lists them), with the plugin-level options as defaults for every model. Symbol.for keeps the key
 * the same across packages until core declares it (see README).
 */
export const ServingAdapterId = Symbol.for('modelport.ServingAdapter');

export interface AdapterContribution {
  readonly adapter: ServingAdapter;
  /** Options the plugin was applied with: defaults that a model's config overrides. */
  readonly defaults?: Readonly<Record<string, unknown>>;
}

export type AdapterCatalog = ReadonlyMap<string, AdapterContribution>;

/** The adapters a server can apply: the container's contributions, then those passed in code. */
export function collectAdapters(container: Container | undefined, extra: readonly ServingAdapter[] = []): AdapterCatalog {
  const catalog = new Map<string, AdapterContribution>();
  const contributed = container?.isBound(ServingAdapterId) ? container.getAll<AdapterContribution>(ServingAdapterId) : [];
  for (const c of contributed) catalog.set(c.adapter.name, c);
  for (const adapter of extra) catalog.set(adapter.name, { adapter });
  return catalog;
}

/** "image-classification" finds "@modelport/adapter-image-classification"; full names work too. */
export function findAdapter(catalog: AdapterCatalog, name: string): AdapterContribution | undefined {
  return catalog.get(name) ?? catalog.get(`@modelport/adapter-${name}`)
    ?? [...catalog.values()].find((c) => c.adapter.name.split('/').pop() === name || c.adapter.name.endsWith(`adapter-${name}`));
}

/** The options a model's adapter runs with: plugin defaults, then the model's, checked by the adapter's schema. */
export function adapterOptions(contribution: AdapterContribution, options: Readonly<Record<string, unknown>> | undefined, model: string): Record<string, unknown> {
  const merged = { ...(contribution.defaults ?? {}), ...(options ?? {}) };
  const schema = contribution.adapter.optionsSchema;
  return schema ? validateOptions(schema, merged, `options of adapter ${contribution.adapter.name} for model "${model}"`) : merged;
}

export function requireAdapter(catalog: AdapterCatalog, name: string, model: string): AdapterContribution {
  const found = findAdapter(catalog, name);
  if (!found) {
    const known = [...catalog.keys()];
    throw new OptionsError(`model "${model}" asks for adapter "${name}", which is not applied; ${known.length ? `applied adapters: ${known.join(', ')}` : 'no adapter is applied'} (add its package to "plugins" in modelport.config.json)`);
  }
  return found;
}

export function fileResolver(versionDir: string, configDir: string): (file: string) => string {
  return (file) => {
    if (path.isAbsolute(file)) return file;
    const inVersion = path.resolve(versionDir, file);
    return existsSync(inVersion) ? inVersion : path.resolve(configDir, file);
  };
}
