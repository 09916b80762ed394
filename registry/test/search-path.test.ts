import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ArtifactRecord } from '@modelport/core';
import { discoverPlugins, formatExplanation, readConfig, Registry } from '@modelport/registry';
import { rejection } from './fixtures.js';

/** An exporter whose record says which copy answered, so a test can tell the project's from the bundled one. */
function exporterPackage(name: string, version: string, target: string) {
  return {
    'package.json': JSON.stringify({ name, version, type: 'module', main: 'index.js', modelport: { type: 'exporter', provides: [target], core: '^0.1.0' } }),
    'index.js': `export default { name: ${JSON.stringify(name)}, version: ${JSON.stringify(version)}, apply(hooks) {
  hooks.writeArtifact.for(${JSON.stringify(target)}).tapPromise(${JSON.stringify(name)}, async () => ({ target: ${JSON.stringify(target)}, plugin: ${JSON.stringify(name)}, copy: ${JSON.stringify(version)} }));
} };\n`,
  };
}

async function writePackage(nodeModules: string, name: string, files: Record<string, string>): Promise<void> {
  const dir = path.join(nodeModules, ...name.split('/'));
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, file), text);
}

const write = (registry: Registry, target: string) =>
  registry.hooks.writeArtifact.for(target).promise({} as never, {} as never) as Promise<(ArtifactRecord & { copy?: string }) | undefined>;

// Outside the repository, so that no workspace node_modules is among the ancestors: as for a
// user whose project knows nothing of modelport while the command is installed elsewhere.
describe('where plugins are found: the project, then what the host ships', () => {
  let root: string;
  let host: string;
  let project: string;
  let elsewhere: string;
  let configFolder: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'modelport-search-'));
    host = path.join(root, 'prefix', 'lib', 'node_modules', 'host-cli');
    project = path.join(root, 'project');
    elsewhere = path.join(root, 'elsewhere');
    configFolder = path.join(root, 'config-folder');
    await mkdir(host, { recursive: true });
    await writeFile(path.join(host, 'package.json'), JSON.stringify({ name: 'host-cli', version: '1.0.0', dependencies: { '@acme/exporter-x': '^1.0.0', '@acme/preset-team': '^1.0.0', '@acme/exporter-hoisted': '^1.0.0' } }));
    const hostModules = path.join(host, 'node_modules');
    await writePackage(hostModules, '@acme/exporter-x', exporterPackage('@acme/exporter-x', '1.0.0', 'x'));
    await writePackage(hostModules, '@acme/preset-team', {
      'package.json': JSON.stringify({ name: '@acme/preset-team', version: '1.0.0', modelport: { type: 'preset', core: '^0.1.0', preset: './preset.json' } }),
      'preset.json': JSON.stringify({ plugins: ['@acme/exporter-x'] }),
    });
    // Installed beside the host but not one of its dependencies: not the host's to offer.
    await writePackage(hostModules, '@acme/exporter-stray', exporterPackage('@acme/exporter-stray', '1.0.0', 'stray'));
    // A dependency npm hoisted one level up, as in a project's node_modules: Node finds it from the host.
    await writePackage(path.join(root, 'prefix', 'lib', 'node_modules'), '@acme/exporter-hoisted', exporterPackage('@acme/exporter-hoisted', '1.0.0', 'hoisted'));
    await writePackage(path.join(project, 'node_modules'), '@acme/exporter-x', exporterPackage('@acme/exporter-x', '2.0.0', 'x'));
    await writePackage(path.join(configFolder, 'node_modules'), '@acme/exporter-x', exporterPackage('@acme/exporter-x', '3.0.0', 'x'));
    await writeFile(path.join(configFolder, 'modelport.config.json'), JSON.stringify({ presets: ['@acme/preset-team'] }));
    await mkdir(elsewhere, { recursive: true });
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('finds the host\'s dependencies from any folder, nested or hoisted, and nothing else beside it', async () => {
    const found = await discoverPlugins({ cwd: elsewhere, bundledWith: host });
    expect(found.map((p) => [p.name, p.version, p.origin])).to.deep.equal([
      ['@acme/exporter-hoisted', '1.0.0', 'bundled'],
      ['@acme/exporter-x', '1.0.0', 'bundled'],
      ['@acme/preset-team', '1.0.0', 'bundled'],
    ]);
    expect(found.find((p) => p.name === '@acme/exporter-hoisted')!.nodeModules).to.equal(path.join(root, 'prefix', 'lib', 'node_modules'));
  });

  it('finds nothing from an unrelated folder without a host, and says where it looked', async () => {
    expect(await discoverPlugins({ cwd: elsewhere })).to.deep.equal([]);
    const err = await rejection(new Registry({ cwd: elsewhere }).resolve({ presets: ['@acme/preset-team'] }));
    expect(err.message).to.include(`looked for @acme/preset-team in node_modules of ${elsewhere} and their parent folders)`);
    const withHost = await rejection(new Registry({ cwd: elsewhere, bundledWith: host }).resolve({ plugins: ['@acme/exporter-nope'] }));
    expect(withHost.message).to.include(`then the dependencies of ${host} (bundled with modelport)`);
  });

  it('loads a bundled preset and its plugins from the host, and explains where each was found', async () => {
    const registry = new Registry({ cwd: elsewhere, bundledWith: host });
    await registry.configure({ presets: ['@acme/preset-team'] });
    expect((await write(registry, 'x'))!.copy).to.equal('1.0.0');
    const lines = formatExplanation(registry.explain());
    expect(lines).to.include(`    found in ${path.join(host, 'node_modules', '@acme', 'exporter-x')} (bundled with modelport)`);
  });

  it('prefers the project\'s copy to the bundled one, loads that copy, and says which it hides', async () => {
    const registry = new Registry({ cwd: project, bundledWith: host });
    const x = (await registry.discover()).find((p) => p.name === '@acme/exporter-x')!;
    expect([x.version, x.origin]).to.deep.equal(['2.0.0', 'project']);
    expect(x.hides).to.deep.equal([{ version: '1.0.0', dir: path.join(host, 'node_modules', '@acme', 'exporter-x'), origin: 'bundled' }]);
    await registry.configure({ presets: ['@acme/preset-team'] });
    expect((await write(registry, 'x'))!.copy).to.equal('2.0.0');
    expect(formatExplanation(registry.explain()).join('\n'))
      .to.include(`found in ${path.join(project, 'node_modules', '@acme', 'exporter-x')} (project); hides 1.0.0 in ${path.join(host, 'node_modules', '@acme', 'exporter-x')} (bundled with modelport)`);
  });

  it('searches the config file\'s folder before the working directory', async () => {
    const registry = new Registry({ cwd: project, bundledWith: host });
    await registry.configure(await readConfig(path.join(configFolder, 'modelport.config.json')));
    expect((await write(registry, 'x'))!.copy).to.equal('3.0.0');
    const x = (await registry.discover()).find((p) => p.name === '@acme/exporter-x')!;
    expect(x.hides.map((h) => [h.version, h.origin])).to.deep.equal([['2.0.0', 'project'], ['1.0.0', 'bundled']]);
  });
});
