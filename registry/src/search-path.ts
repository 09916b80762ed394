import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a plugin was found: in the user's project, among the packages the host (the CLI) ships,
 * or in a folder a config, preset or flag named by path.
 */
export type PluginOrigin = 'project' | 'bundled' | 'path';

/** One node_modules folder discovery reads. */
export interface SearchRoot {
  readonly dir: string;
  readonly origin: PluginOrigin;
  /** Only these package names are read (a host's dependencies); every package when absent. */
  readonly names?: readonly string[];
}

/** The folders discovery reads, in order, and what they were derived from (for messages). */
export interface SearchPath {
  readonly cwd: string;
  readonly configDir?: string;
  readonly bundledWith?: string;
  readonly roots: readonly SearchRoot[];
}

/**
 * The project's node_modules folders: those of each start folder (the config's folder, then the
 * working directory) and of its ancestors, in that order, each folder once.
 */
export function projectRoots(starts: readonly string[], nodeModulesDirs: (dir: string) => string[]): SearchRoot[] {
  const dirs = [...new Set(starts.flatMap((start) => nodeModulesDirs(path.resolve(start))))];
  return dirs.map((dir) => ({ dir, origin: 'project' }));
}

/**
 * The folders Node's resolution visits from the host's package folder, each limited to the host's
 * dependencies: what the host ships, wherever npm put it (nested in a global prefix, hoisted in a
 * project or a workspace).
 */
export async function bundledRoots(hostDir: string, nodeModulesDirs: (dir: string) => string[]): Promise<SearchRoot[]> {
  const names = await dependencyNames(hostDir);
  if (!names.length) return [];
  return nodeModulesDirs(path.resolve(hostDir)).map((dir) => ({ dir, origin: 'bundled', names }));
}

/** One line saying where discovery looked, for "not found" messages. */
export function describeSearchPath(search: SearchPath): string {
  const places = [...new Set([search.configDir, search.cwd].filter((d): d is string => d !== undefined))];
  const project = `node_modules of ${places.join(' and of ')} and their parent folders`;
  return search.bundledWith ? `${project}, then the dependencies of ${search.bundledWith} (bundled with modelport)` : project;
}

async function dependencyNames(packageDir: string): Promise<string[]> {
  try {
    const pkg = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return Object.keys(pkg.dependencies ?? {});
  } catch {
    return []; // a host without a readable package.json ships nothing discovery can see
  }
}
