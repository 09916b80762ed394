import { access, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { CORE_VERSION } from '@modelport/core';
import { checkCoreRange } from './compat.js';
import { isPackageName } from './names.js';
import { readInstalledPackage, type InstalledPackage } from './manifest.js';
import { bundledRoots, projectRoots, type PluginOrigin, type SearchPath, type SearchRoot } from './search-path.js';

/** Another copy of a package that the found one hides (further down the search order). */
export interface HiddenCopy {
  readonly version: string;
  readonly dir: string;
  readonly origin: PluginOrigin;
}

/** An installed modelport package, where it was found, and whether it can run on the installed core. */
export interface DiscoveredPlugin extends InstalledPackage {
  readonly compatible: boolean;
  /** Why it cannot be used, when it cannot. */
  readonly reason?: string;
  /** 'project' when found from the config's folder or the working directory, 'bundled' when it ships with the host (the CLI). */
  readonly origin: PluginOrigin;
  /** The node_modules folder it was found in; its code is resolved from there. For origin 'path', the folder that holds the package folder. */
  readonly nodeModules: string;
  /** For origin 'path': the path as it was written. */
  readonly namedAs?: string;
  /** Copies of the same name found later in the search order, which this one hides. */
  readonly hides: readonly HiddenCopy[];
}

export interface DiscoverOptions {
  /** The working directory; its node_modules and those of its ancestors are searched. */
  readonly cwd?: string;
  /** Searched before `cwd`, with their ancestors: the folder of the config file. */
  readonly configDir?: string;
  /**
   * The package folder of the host (the CLI): its dependencies that carry a `modelport` field are
   * the plugins it ships, resolved from there as Node would. Searched after the project.
   */
  readonly bundledWith?: string;
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

/** Where discovery looks, in order: the project first, then what the host ships. */
export async function pluginSearchPath(options: DiscoverOptions = {}): Promise<SearchPath> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const project = projectRoots([...(options.configDir ? [options.configDir] : []), cwd], nodeModulesDirs);
  const bundled = options.bundledWith ? await bundledRoots(options.bundledWith, nodeModulesDirs) : [];
  return { cwd, ...(options.configDir ? { configDir: path.resolve(options.configDir) } : {}), ...(options.bundledWith ? { bundledWith: path.resolve(options.bundledWith) } : {}), roots: [...project, ...bundled] };
}

/**
 * Finds every modelport package the project or the host can resolve, reading package.json files
 * only: no plugin code runs until the config or a preset names it. The first copy of a name in the
 * search order wins (the project's over the one bundled with the host, a nearer node_modules over
 * one further up, as in Node's resolution); the copies it hides are listed in `hides`.
 */
export async function discoverPlugins(options: DiscoverOptions = {}): Promise<DiscoveredPlugin[]> {
  const coreVersion = options.coreVersion ?? CORE_VERSION;
  const search = await pluginSearchPath(options);
  const found = new Map<string, { pkg: InstalledPackage; origin: PluginOrigin; nodeModules: string; hides: HiddenCopy[] }>();
  for (const root of search.roots) {
    for (const pkg of await packagesIn(root)) {
      // Workspace packages are symlinks; the real folder is where their files live.
      const dir = await realpath(pkg.dir).catch(() => pkg.dir);
      const first = found.get(pkg.name);
      if (!first) found.set(pkg.name, { pkg: { ...pkg, dir }, origin: root.origin, nodeModules: root.dir, hides: [] });
      else if (first.pkg.dir !== dir && !first.hides.some((h) => h.dir === dir)) first.hides.push({ version: pkg.version, dir, origin: root.origin });
    }
  }
  return [...found.values()].sort((a, b) => a.pkg.name.localeCompare(b.pkg.name))
    .map(({ pkg, origin, nodeModules, hides }) => withCompatibility({ ...pkg, origin, nodeModules, hides }, coreVersion));
}

/** Marks a package usable or not on the installed core, with the reason. */
export function withCompatibility(pkg: Omit<DiscoveredPlugin, 'compatible'>, coreVersion: string): DiscoveredPlugin {
  if (!pkg.manifest) return { ...pkg, compatible: false, reason: pkg.problem ?? 'malformed "modelport" field' };
  const check = checkCoreRange(pkg.name, pkg.manifest.core, coreVersion);
  return check.compatible ? { ...pkg, compatible: true } : { ...pkg, compatible: false, reason: check.reason };
}

/** The modelport packages of one search root: all of a project's node_modules, or only the names a host depends on. */
async function packagesIn(root: SearchRoot): Promise<InstalledPackage[]> {
  const folders = root.names ? root.names.map((name) => path.join(root.dir, ...name.split('/'))) : await packageFolders(root.dir);
  const packages = await Promise.all(folders.map((folder) => readInstalledPackage(path.join(folder, 'package.json'), folder)));
  return packages.filter((p): p is InstalledPackage => p !== undefined);
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

/** Where a package was found, for people: "<folder> (project)" or "<folder> (bundled with modelport)". */
export function describeLocation(pkg: Pick<DiscoveredPlugin, 'name' | 'origin' | 'nodeModules' | 'dir' | 'namedAs'>): string {
  if (pkg.origin === 'path') return `${pkg.dir} (by path "${pkg.namedAs ?? pkg.dir}")`;
  return `${path.join(pkg.nodeModules, ...pkg.name.split('/'))} (${describeOrigin(pkg.origin)})`;
}

/** The copies a package hides, for people: "hides 0.1.0 in <folder> (bundled with modelport)"; empty when none. */
export function describeHidden(pkg: Pick<DiscoveredPlugin, 'hides'>): string {
  return pkg.hides.map((h) => `hides ${h.version} in ${h.dir} (${describeOrigin(h.origin)})`).join('; ');
}

function describeOrigin(origin: PluginOrigin): string {
  return origin === 'bundled' ? 'bundled with modelport' : origin === 'path' ? 'by path' : 'project';
}

/** The first package.json along the search path for `name`, modelport package or not; for error messages. */
export async function findPackageJson(search: SearchPath, name: string): Promise<string | undefined> {
  if (!isPackageName(name)) return undefined; // joined into a path, it could climb out of node_modules
  for (const root of search.roots) {
    if (root.names && !root.names.includes(name)) continue;
    const file = path.join(root.dir, ...name.split('/'), 'package.json');
    if (await access(file).then(() => true, () => false)) return file;
  }
  return undefined;
}
