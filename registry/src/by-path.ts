import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError } from '@modelport/core';
import { withCompatibility, type DiscoveredPlugin } from './discover.js';
import { readInstalledPackage } from './manifest.js';
import type { NameKind } from './names.js';

/** Where a name or path was written, for messages, and the folder a relative path is resolved from. */
export interface NamedAt {
  /** "modelport.config.json plugins", "preset @x/preset-y", "the command line (--plugin)" */
  readonly label: string;
  readonly file?: string;
  /**
   * The folder a path is relative to: the working directory for flags, the config file's folder,
   * the preset package's folder.
   */
  readonly base?: string;
  /** Says in words what `base` is, for messages: "the folder of modelport.config.json". */
  readonly baseLabel?: string;
}

/** The refusal for a name that is neither a package name nor a path (`@scope/../../x`, `a/b`). */
export function notANameError(name: string, kind: NameKind, at: NamedAt): ConfigError {
  return new ConfigError(
    `"${name}" (named in ${at.label}) is neither a ${kind} package name nor a path: a name is "name" or "@scope/name" and is looked up in node_modules only; a path to a package folder starts with ./, ../ or /`,
    at.file ? { file: at.file } : {},
  );
}

/**
 * The package in the folder a path names, resolved from `at.base` (the working directory when
 * absent); errors name the path as written, the folder it resolved to, and what is missing.
 */
export async function findByPath(written: string, kind: NameKind, at: NamedAt, coreVersion: string): Promise<DiscoveredPlugin> {
  const base = at.base ?? process.cwd();
  const dir = path.resolve(base, written);
  const where = `${kind} path "${written}" (named in ${at.label}; relative to ${at.baseLabel ?? base})`;
  const fileOf = at.file ? { file: at.file } : {};
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new ConfigError(`${where} resolves to ${dir}, which does not exist; fix the path or create the package there`, fileOf);
  if (!info.isDirectory()) throw new ConfigError(`${where} resolves to ${dir}, which is a file; name the package folder (the one that holds package.json)`, fileOf);
  const packageJson = path.join(dir, 'package.json');
  const text = await readFile(packageJson, 'utf8').catch(() => undefined);
  if (text === undefined) {
    throw new ConfigError(`${where}: ${dir} has no package.json; a ${kind} by path is a package folder whose package.json has a "modelport" field`, fileOf);
  }
  const pkg = await readInstalledPackage(packageJson, dir);
  if (!pkg) {
    const example = kind === 'preset' ? '{ "type": "preset", "core": "^0.1.0", "preset": "./preset.json" }' : '{ "type": "exporter", "provides": ["my-target"], "core": "^0.1.0" }';
    const broken = jsonProblem(text);
    if (broken) throw new ConfigError(`${where}: ${packageJson} is not valid JSON (${broken}); fix it`, { file: packageJson });
    throw new ConfigError(`${where}: ${packageJson} has no "modelport" field, so it is not a modelport ${kind}; add e.g. "modelport": ${example}`, { file: packageJson });
  }
  if (!pkg.manifest) throw new ConfigError(`${where}: ${pkg.problem ?? 'its "modelport" field is malformed'}`, { plugin: pkg.name, file: packageJson });
  return withCompatibility({ ...pkg, origin: 'path', nodeModules: path.dirname(dir), hides: [], namedAs: written }, coreVersion);
}

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The entry file of a package used by path: through its own `exports` (a package may name itself),
 * else its `main`; never through a node_modules copy of the same name.
 */
export async function resolvePathEntry(pkg: DiscoveredPlugin): Promise<string> {
  const require = createRequire(pkg.packageJson);
  const json = JSON.parse(await readFile(pkg.packageJson, 'utf8')) as { exports?: unknown };
  return json.exports !== undefined ? require.resolve(pkg.name) : require.resolve(pkg.dir);
}
