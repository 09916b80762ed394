import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type ArtifactRecord } from '@modelport/core';
import { formatExplanation, readConfig, Registry } from '@modelport/registry';
import { exporterSource, FixtureProject, rejection } from './fixtures.js';

const write = (registry: Registry, target: string) =>
  registry.hooks.writeArtifact.for(target).promise({} as never, {} as never) as Promise<(ArtifactRecord & { options?: unknown }) | undefined>;

/** A package folder outside any node_modules, as a plugin under development is. */
async function writeFolder(dir: string, packageJson: Record<string, unknown> | undefined, index?: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  if (packageJson) await writeFile(path.join(dir, 'package.json'), JSON.stringify({ version: '0.0.1', type: 'module', main: 'index.js', ...packageJson }, null, 2));
  if (index !== undefined) await writeFile(path.join(dir, 'index.js'), index);
  return dir;
}

const exporterManifest = (target: string) => ({ type: 'exporter', provides: [target], core: '^0.1.0' });

describe('plugins by path', () => {
  let project: FixtureProject;
  before(async () => {
    project = await FixtureProject.create();
    await writeFolder(path.join(project.dir, 'dev', 'my-exporter'), { name: 'my-exporter', modelport: exporterManifest('mine') }, exporterSource('my-exporter', 'mine'));
    await writeFolder(path.join(project.dir, 'app', 'plugins', 'local-exporter'), { name: '@lab/local-exporter', modelport: exporterManifest('local') }, exporterSource('@lab/local-exporter', 'local'));
    await mkdir(path.join(project.dir, 'elsewhere'), { recursive: true });
  });
  after(() => project.remove());

  it('loads a --plugin path relative to the working directory, and explain says where it was found', async () => {
    const registry = new Registry({ cwd: path.join(project.dir, 'elsewhere') });
    await registry.configure({ presets: [] }, { plugins: ['../dev/my-exporter'] });
    expect((await write(registry, 'mine'))!.plugin).to.equal('my-exporter');
    const [explained] = registry.explain().plugins;
    expect(explained!.location).to.equal(`${path.join(project.dir, 'dev', 'my-exporter')} (by path "../dev/my-exporter")`);
    expect(formatExplanation(registry.explain())).to.include(`    found in ${path.join(project.dir, 'dev', 'my-exporter')} (by path "../dev/my-exporter")`);
  });

  it('resolves a path in a config file from the config file\'s folder, not from the working directory', async () => {
    const file = await project.writeConfig({ presets: [], plugins: [['./plugins/local-exporter', { level: 2 }]] }, path.join('app', 'modelport.config.json'));
    const registry = new Registry({ cwd: path.join(project.dir, 'elsewhere') });
    const plan = await registry.configure(await readConfig(file));
    expect(plan.plugins.map((p) => [p.name, p.package.origin, p.package.dir])).to.deep.equal([
      ['@lab/local-exporter', 'path', path.join(project.dir, 'app', 'plugins', 'local-exporter')],
    ]);
    expect((await write(registry, 'local'))!.options).to.deep.equal({ level: 2 });
  });

  it('resolves a path in a preset from the preset package\'s folder', async () => {
    const presetDir = await project.addPreset('@lab/preset-dev', { plugins: ['./exporters/inner'] });
    await writeFolder(path.join(presetDir, 'exporters', 'inner'), { name: '@lab/inner-exporter', modelport: exporterManifest('inner') }, exporterSource('@lab/inner-exporter', 'inner'));
    const registry = new Registry({ cwd: project.dir });
    await registry.configure({ presets: ['@lab/preset-dev'] });
    expect((await write(registry, 'inner'))!.plugin).to.equal('@lab/inner-exporter');
  });

  it('loads the folder named by the path, not an installed package of the same name', async () => {
    await project.addExporter('my-exporter', 'installed-copy');
    const registry = new Registry({ cwd: project.dir });
    await registry.configure({ presets: [] }, { plugins: ['./dev/my-exporter'] });
    expect((await write(registry, 'mine'))!.plugin).to.equal('my-exporter');
    expect(registry.hooks.writeArtifact.get('installed-copy')).to.equal(undefined);
  });

  it('loads a package by path through its own "exports", as a built TypeScript package has them', async () => {
    const dir = path.join(project.dir, 'dev', 'built-exporter');
    await mkdir(path.join(dir, 'dist'), { recursive: true });
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({
      name: '@lab/built-exporter', version: '0.0.1', type: 'module', exports: { '.': { default: './dist/index.js' } }, modelport: exporterManifest('built'),
    }));
    await writeFile(path.join(dir, 'dist', 'index.js'), exporterSource('@lab/built-exporter', 'built'));
    const registry = new Registry({ cwd: project.dir });
    await registry.configure({ presets: [] }, { plugins: ['./dev/built-exporter'] });
    expect((await write(registry, 'built'))!.plugin).to.equal('@lab/built-exporter');
  });

  it('says a package by path that was not built has no entry file, and what to check', async () => {
    await writeFolder(path.join(project.dir, 'dev', 'unbuilt'), { name: 'unbuilt', main: './dist/index.js', modelport: exporterManifest('unbuilt') });
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ presets: [] }, { plugins: ['./dev/unbuilt'] })) as ConfigError;
    expect(err.plugin).to.equal('unbuilt');
    expect(err.message).to.contain(`cannot find the entry file of unbuilt in ${path.join(project.dir, 'dev', 'unbuilt')}`).and.contain('is the package built (npm run build)');
  });

  it('says which path, resolved from which folder, does not exist', async () => {
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ presets: [] }, { plugins: ['./dev/typo'] })) as ConfigError;
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.contain(`plugin path "./dev/typo" (named in the command line (--plugin); relative to the working directory, ${project.dir}) resolves to ${path.join(project.dir, 'dev', 'typo')}, which does not exist`);
  });

  it('says a folder without package.json is not a plugin, naming the path and what is missing', async () => {
    await writeFolder(path.join(project.dir, 'dev', 'no-package'), undefined, 'export default {};\n');
    const file = await project.writeConfig({ presets: [], plugins: ['./dev/no-package'] });
    const err = await rejection(new Registry({ cwd: project.dir }).configure(await readConfig(file))) as ConfigError;
    expect(err.file).to.equal(file);
    expect(err.message).to.contain(`plugin path "./dev/no-package" (named in modelport.config.json plugins; relative to the folder of modelport.config.json, ${project.dir}): ${path.join(project.dir, 'dev', 'no-package')} has no package.json`);
  });

  it('says a package.json without a "modelport" field is not a plugin, and what to add', async () => {
    const dir = await writeFolder(path.join(project.dir, 'dev', 'plain'), { name: 'plain' }, 'export default {};\n');
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ presets: [] }, { plugins: ['./dev/plain'] })) as ConfigError;
    expect(err.file).to.equal(path.join(dir, 'package.json'));
    expect(err.message).to.contain(`plugin path "./dev/plain"`);
    expect(err.message).to.contain(`${path.join(dir, 'package.json')} has no "modelport" field, so it is not a modelport plugin; add e.g. "modelport": {`);
  });

  it('says what is wrong with a malformed "modelport" field of a plugin by path', async () => {
    await writeFolder(path.join(project.dir, 'dev', 'malformed'), { name: 'malformed', modelport: { type: 'exporterr', core: '^0.1.0' } }, 'export default {};\n');
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ presets: [] }, { plugins: ['./dev/malformed'] })) as ConfigError;
    expect(err.plugin).to.equal('malformed');
    expect(err.message).to.match(/plugin path "\.\/dev\/malformed" .*"modelport" field.*type/);
  });

  it('never lets a package name climb out of node_modules', async () => {
    for (const name of ['@modelport/../../dev/my-exporter', 'dev/my-exporter', '@lab/..']) {
      const err = await rejection(new Registry({ cwd: project.dir }).configure({ presets: [], plugins: [name] })) as ConfigError;
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.equal(`"${name}" (named in code config plugins) is neither a plugin package name nor a path: a name is "name" or "@scope/name" and is looked up in node_modules only; a path to a package folder starts with ./, ../ or /`);
    }
  });
});
