import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: fixtures live under it so that they resolve @modelport/core from its node_modules. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface FixturePackage {
  readonly name: string;
  readonly version?: string;
  /** The package.json `modelport` field; omitted for a package that is not a plugin. */
  readonly modelport?: Record<string, unknown>;
  /** index.js; plain ESM. */
  readonly index?: string;
  readonly files?: Readonly<Record<string, string>>;
}

/** A project folder in .tmp/ of the repo, with its own node_modules of generated packages. */
export class FixtureProject {
  private constructor(readonly dir: string) {}

  static async create(): Promise<FixtureProject> {
    const parent = path.join(REPO_ROOT, '.tmp');
    await mkdir(parent, { recursive: true });
    return new FixtureProject(await mkdtemp(path.join(parent, 'registry-')));
  }

  packageDir(name: string): string {
    return path.join(this.dir, 'node_modules', ...name.split('/'));
  }

  async addPackage(pkg: FixturePackage): Promise<string> {
    const dir = this.packageDir(pkg.name);
    await mkdir(dir, { recursive: true });
    const packageJson = {
      name: pkg.name, version: pkg.version ?? '1.0.0', type: 'module', main: 'index.js',
      ...(pkg.modelport ? { modelport: pkg.modelport } : {}),
    };
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
    if (pkg.index !== undefined) await writeFile(path.join(dir, 'index.js'), pkg.index);
    for (const [file, text] of Object.entries(pkg.files ?? {})) await writeFile(path.join(dir, file), text);
    return dir;
  }

  /** An exporter package whose plugin writes a record for `target` naming itself. */
  addExporter(name: string, target: string, extra: { core?: string; manifestTarget?: string; type?: string; version?: string } = {}): Promise<string> {
    return this.addPackage({
      name, ...(extra.version ? { version: extra.version } : {}),
      modelport: { type: extra.type ?? 'exporter', provides: [extra.manifestTarget ?? target], core: extra.core ?? '^0.1.0' },
      index: exporterSource(name, target),
    });
  }

  /** A preset package. */
  addPreset(name: string, preset: Record<string, unknown>, core = '^0.1.0'): Promise<string> {
    return this.addPackage({
      name, modelport: { type: 'preset', core, preset: './preset.json' },
      files: { 'preset.json': JSON.stringify(preset, null, 2) },
    });
  }

  async writeConfig(config: unknown, file = 'modelport.config.json'): Promise<string> {
    const target = path.join(this.dir, file);
    await writeFile(target, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
    return target;
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** ESM source of an exporter plugin: its record names the plugin and carries the options it got. */
export function exporterSource(name: string, target: string): string {
  return `export default {
  name: ${JSON.stringify(name)},
  version: '1.0.0',
  apply(hooks, options) {
    hooks.writeArtifact.for(${JSON.stringify(target)}).tapPromise(${JSON.stringify(name)}, async () => ({ target: ${JSON.stringify(target)}, plugin: ${JSON.stringify(name)}, options }));
  },
};
`;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
