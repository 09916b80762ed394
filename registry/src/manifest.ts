import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, ModelportError, validateOptions, type HookName, type JsonSchema } from '@modelport/core';

/**
 * What a plugin package is, as its package.json `modelport` field says: `exporter` writes targets,
 * `importer` reads source formats, `runtime` runs artifacts, `pass` and `quantizer` change the
 * graph, `adapter` wraps a model for a task, `serving` serves models over a protocol,
 * `validator` checks artifacts against the source, `checkpoints` manages training checkpoints,
 * `module` holds pre- or post-processing for exports, `preset` names plugins to use together.
 */
export type PluginType = 'exporter' | 'importer' | 'quantizer' | 'pass' | 'runtime' | 'adapter' | 'serving' | 'validator' | 'checkpoints' | 'module' | 'preset';
export const PLUGIN_TYPES: readonly PluginType[] = ['exporter', 'importer', 'quantizer', 'pass', 'runtime', 'adapter', 'serving', 'validator', 'checkpoints', 'module', 'preset'];

/** The package.json `modelport` field. */
export interface PluginManifest {
  readonly type: PluginType;
  /** Formats, targets or pass names the plugin provides. */
  readonly provides: readonly string[];
  /** The semver range of @modelport/core the plugin works with. */
  readonly core: string;
  /** JSON schema of its options, relative to the package folder. */
  readonly options?: string;
  /** For presets: the preset JSON file, relative to the package folder. */
  readonly preset?: string;
}

/** A package that carries a `modelport` field, as read from its package.json (its code is not loaded). */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  /** The folder that holds package.json (symlinks resolved). */
  readonly dir: string;
  readonly packageJson: string;
  /** Undefined when the field is malformed; `problem` then says why. */
  readonly manifest?: PluginManifest;
  readonly problem?: string;
}

/**
 * The keyed hook each plugin type serves with its `provides` keys; other types tap unkeyed hooks
 * (or wrap, like adapters), so they cannot conflict over a key.
 */
export const KEYED_HOOK_OF_TYPE: Readonly<Partial<Record<PluginType, HookName>>> = Object.freeze({
  exporter: 'writeArtifact',
  importer: 'loadModel',
  runtime: 'serve',
});

export const MANIFEST_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['type', 'core'],
  properties: {
    type: { enum: PLUGIN_TYPES },
    provides: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    core: { type: 'string', minLength: 1 },
    options: { type: 'string', minLength: 1 },
    preset: { type: 'string', minLength: 1 },
  },
  if: { properties: { type: { const: 'preset' } } },
  then: { required: ['preset'] },
});

interface PackageJson { name?: unknown; version?: unknown; description?: unknown; modelport?: unknown }

/**
 * Reads one package.json; returns undefined for a package without a `modelport` field. A
 * malformed one (field, JSON or name) is kept with `problem` set, so that `modelport plugins`
 * can show it rather than leave it out.
 */
export async function readInstalledPackage(packageJson: string, dir: string): Promise<InstalledPackage | undefined> {
  const text = await readFile(packageJson, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined; // not a package folder
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch (e) {
    // Broken JSON is none of our business unless it was meant to be a modelport package.
    if (!text.includes('"modelport"')) return undefined;
    return malformed(dir, packageJson, `package.json is not valid JSON (${(e as Error).message}); its author must fix it`);
  }
  if (!pkg || typeof pkg !== 'object' || pkg.modelport === undefined) return undefined;
  if (typeof pkg.name !== 'string') return malformed(dir, packageJson, 'package.json has a "modelport" field but no "name"; its author must add one');
  if (typeof pkg.modelport !== 'object' || pkg.modelport === null || Array.isArray(pkg.modelport)) {
    return malformed(dir, packageJson, `the "modelport" field is ${JSON.stringify(pkg.modelport)}; it must be an object { "type", "provides", "core" }`, pkg.name);
  }
  const base = {
    name: pkg.name,
    version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    ...(typeof pkg.description === 'string' ? { description: pkg.description } : {}),
    dir,
    packageJson,
  };
  try {
    const manifest = validateOptions<PluginManifest>(MANIFEST_SCHEMA, pkg.modelport, '"modelport" field', { plugin: pkg.name, file: packageJson });
    return { ...base, manifest };
  } catch (e) {
    // The message without its location: whoever shows the problem names the package and file once.
    return { ...base, problem: e instanceof ModelportError ? e.detail : (e as Error).message };
  }
}

/** A package that means to be a modelport package and cannot be read as one; named after its folder. */
function malformed(dir: string, packageJson: string, problem: string, name?: string): InstalledPackage {
  const parent = path.basename(path.dirname(dir));
  const folderName = parent.startsWith('@') ? `${parent}/${path.basename(dir)}` : path.basename(dir);
  return { name: name ?? folderName, version: '?', dir, packageJson, problem };
}

/** Reads a JSON file that a manifest points to, with an error naming the package and the file. */
export async function readManifestJson(pkg: InstalledPackage, file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read the ${what} named in its package.json: ${(e as Error).message}`, { plugin: pkg.name, file }, { cause: e });
  }
}
