import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, ModelportError, type JsonSchema, type Plugin } from '@modelport/core';
import { checkOptions } from './check-options.js';
import type { PluginOptions } from './config.js';
import type { DiscoveredPlugin } from './discover.js';
import { resolvePathEntry } from './by-path.js';
import { readManifestJson } from './manifest.js';
import type { OptionSources } from './option-sources.js';

/**
 * The file Node loads for a package, resolved from the node_modules folder discovery found it in,
 * so that the copy listed is the copy loaded (the project's, or the one bundled with the CLI); a
 * package whose `exports` only has an `import` condition falls back to its folder (`main`).
 */
export async function resolveEntry(pkg: DiscoveredPlugin): Promise<string> {
  if (pkg.origin === 'path') {
    try {
      return await resolvePathEntry(pkg);
    } catch (e) {
      throw new ConfigError(`cannot find the entry file of ${pkg.name} in ${pkg.dir}: ${(e as Error).message.split('\n')[0]}; is the package built (npm run build), and do its "main" or "exports" name the built file?`, { plugin: pkg.name, file: pkg.packageJson }, { cause: e });
    }
  }
  // Resolution from a folder looks in its own node_modules first: the one the package was found in.
  const from = path.dirname(pkg.nodeModules);
  const require = createRequire(path.join(from, 'package.json'));
  try {
    return require.resolve(pkg.name);
  } catch (first) {
    try {
      return require.resolve(pkg.dir);
    } catch {
      // In a workspace the usual cause is a package that was not built yet.
      const hint = (first as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' ? '; is the package built (npm run build)?' : '';
      throw new ConfigError(`cannot find the entry file of ${pkg.name} in ${pkg.nodeModules}: ${(first as Error).message.split('\n')[0]}${hint}`, { plugin: pkg.name, file: pkg.packageJson }, { cause: first });
    }
  }
}

/**
 * Imports a plugin package and returns its plugin: the default export (or the named export
 * `plugin`), which is a plugin object, a factory function called with the options, or a class
 * with an `apply` method constructed with them (webpack style).
 */
export async function importPlugin(pkg: DiscoveredPlugin, options: PluginOptions): Promise<Plugin<any>> {
  const entry = await resolveEntry(pkg);
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(entry).href) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof ModelportError && e.plugin) throw e; // already says which plugin; wrapping would say it twice
    throw new ConfigError(`cannot load the plugin: ${(e as Error).message}`, { plugin: pkg.name, file: entry }, { cause: e });
  }
  let exported = mod.default ?? mod.plugin;
  // A CommonJS module imported from ESM puts module.exports under default.
  if (isRecord(exported) && !isPlugin(exported) && 'default' in exported) exported = exported.default;
  let plugin: unknown = exported;
  try {
    if (typeof exported === 'function') plugin = hasApplyMethod(exported) ? new (exported as new (o: unknown) => unknown)(options) : (exported as (o: unknown) => unknown)(options);
    plugin = await plugin;
  } catch (e) {
    if (e instanceof ModelportError && e.plugin) throw e;
    throw new ConfigError(`the plugin factory threw: ${(e as Error).message}`, { plugin: pkg.name, file: entry }, { cause: e });
  }
  if (!isPlugin(plugin)) {
    throw new ConfigError('the default export (or the export named "plugin") must be a plugin { name, version, apply(hooks, options, container) } or a function returning one', { plugin: pkg.name, file: entry });
  }
  return plugin;
}

/**
 * Validates a plugin's options with its optionsSchema, else the schema file its manifest names,
 * before it is applied: errors say where each bad value was set (preset, config, flag) and, for a
 * misspelt key, the key meant. Returns the options with defaults filled in.
 */
export async function checkPluginOptions(pkg: DiscoveredPlugin, plugin: Plugin<any>, options: PluginOptions, sources: OptionSources): Promise<PluginOptions> {
  const schemaPath = pkg.manifest?.options;
  const file = schemaPath ? path.resolve(pkg.dir, schemaPath) : undefined;
  let schema = plugin.optionsSchema;
  if (!schema && file) {
    // One object per file, so that the compiled validator is reused.
    if (!schemas.has(file)) schemas.set(file, await readManifestJson(pkg, file, 'options schema') as JsonSchema);
    schema = schemas.get(file)!;
  }
  if (!schema) return options;
  return checkOptions<PluginOptions>(schema, options, {
    what: 'options', plugin: plugin.name, sources, ...(file ? { schemaFile: file } : {}),
  });
}

const schemas = new Map<string, JsonSchema>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isPlugin(value: unknown): value is Plugin<any> {
  return isRecord(value) && typeof value.name === 'string' && typeof value.apply === 'function';
}

function hasApplyMethod(fn: Function): boolean {
  return typeof (fn.prototype as { apply?: unknown } | undefined)?.apply === 'function';
}
