import { access, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { CORE_VERSION } from '@modelport/core';
import { checkCoreRange } from './compat.js';
import { readInstalledPackage, type InstalledPackage } from './manifest.js';

/** An installed modelport package and whether it can run on the installed core. */
export interface DiscoveredPlugin extends InstalledPackage {
  readonly compatible: boolean;
  /** Why it cannot be used, when it cannot. */
  readonly reason?: string;
}

export interface DiscoverOptions {
  /** The project folder; its node_modules and those of its ancestors are searched. */
  readonly cwd?: string;
  /** The core version ranges are checked against (CORE_VERSION unless a host says otherwise). */
  readonly coreVersion?: string;
}

/** node_modules folders that Node's resolution visits from `cwd`, nearest first. */
export function nodeModulesDirs(cwd: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'node_modules') dirs.push(path.join(dir, 'node_modules'));
    if (path.dirname(dir) === dir) return dirs;
  }
}

/**
 * Finds every package with a `modelport` field that `cwd` can resolve, reading package.json files
 * only: no plugin code runs until the config or a preset names it. A name in a nearer node_modules
 * hides the same name further up, as in Node's resolution.
 */
export async function discoverPlugins(options: DiscoverOptions = {}): Promise<DiscoveredPlugin[]> {
  const coreVersion = options.coreVersion ?? CORE_VERSION;
  const found = new Map<string, InstalledPackage>();
  for (const nodeModules of nodeModulesDirs(options.cwd ?? process.cwd())) {
    const folders = await packageFolders(nodeModules);
    const packages = await Promise.all(folders.map((folder) => readInstalledPackage(path.join(folder, 'package.json'), folder)));
    for (const pkg of packages) {
      // Workspace packages are symlinks; the real folder is where their files live.
      if (pkg && !found.has(pkg.name)) found.set(pkg.name, { ...pkg, dir: await realpath(pkg.dir).catch(() => pkg.dir) });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name)).map((pkg) => withCompatibility(pkg, coreVersion));
}

function withCompatibility(pkg: InstalledPackage, coreVersion: string): DiscoveredPlugin {
  if (!pkg.manifest) return { ...pkg, compatible: false, reason: pkg.problem ?? 'malformed "modelport" field' };
  const check = checkCoreRange(pkg.name, pkg.manifest.core, coreVersion);
  return check.compatible ? { ...pkg, compatible: true } : { ...pkg, compatible: false, reason: check.reason };
}

/** Package folders directly in a node_modules folder, scoped ones included. */
async function packageFolders(nodeModules: string): Promise<string[]> {
  const names = await readdir(nodeModules).catch(() => [] as string[]);
  const folders: string[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue; // .bin, .package-lock.json, .cache
    if (!name.startsWith('@')) { folders.push(path.join(nodeModules, name)); continue; }
    const scoped = await readdir(path.join(nodeModules, name)).catch(() => [] as string[]);
    for (const inner of scoped) if (!inner.startsWith('.')) folders.push(path.join(nodeModules, name, inner));
  }
  return folders;
}

/** The package.json `cwd` would resolve for `name`, modelport package or not; for error messages. */
export async function findPackageJson(cwd: string, name: string): Promise<string | undefined> {
  for (const nodeModules of nodeModulesDirs(cwd)) {
    const file = path.join(nodeModules, name, 'package.json');
    if (await access(file).then(() => true, () => false)) return file;
  }
  return undefined;
}
