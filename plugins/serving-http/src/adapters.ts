import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  contributionsTo, OptionsError, SERVING_ADAPTERS, ServingAdapterId, validateOptions, type AdapterContribution, type ServingAdapter,
} from '@modelport/core';
import type { Container } from './options.js';

export { SERVING_ADAPTERS, ServingAdapterId, type AdapterContext, type AdapterContribution, type ServingAdapter } from '@modelport/core';

export type AdapterCatalog = ReadonlyMap<string, AdapterContribution>;

/**
 * The adapters a server can apply: those bound the older way (ServingAdapterId), the
 * SERVING_ADAPTERS contributions, then those passed in code; a later one of the same name wins.
 */
export function collectAdapters(container: Container | undefined, extra: readonly ServingAdapter[] = []): AdapterCatalog {
  const catalog = new Map<string, AdapterContribution>();
  const bound = container?.isBound(ServingAdapterId) ? container.getAll<AdapterContribution>(ServingAdapterId) : [];
  const contributed = container ? contributionsTo(container, SERVING_ADAPTERS).map((c) => c.value) : [];
  for (const c of [...bound, ...contributed]) catalog.set(c.adapter.name, c);
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
