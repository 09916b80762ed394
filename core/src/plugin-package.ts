import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonSchema } from './options.js';

/** What a plugin states about itself in its package.json, for its plugin object. */
export interface PluginPackage {
  readonly name: string;
  readonly version: string;
  /** The JSON schema named by `modelport.options`, if any. */
  readonly optionsSchema?: JsonSchema;
}

/**
 * Reads the package.json of the package that contains `moduleUrl` (pass `import.meta.url`), so a
 * plugin's name, version and options schema have one source: the manifest the registry reads.
 */
export function readPluginPackage(moduleUrl: string): PluginPackage {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; modelport?: { options?: string } };
  const schemaFile = pkg.modelport?.options;
  return {
    name: pkg.name,
    version: pkg.version,
    ...(schemaFile ? { optionsSchema: JSON.parse(readFileSync(path.join(dir, schemaFile), 'utf8')) as JsonSchema } : {}),
  };
}
