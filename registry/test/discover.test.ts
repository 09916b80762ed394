import { expect } from 'chai';
import path from 'node:path';
import { CORE_VERSION } from '@modelport/core';
import { checkCoreRange, discoverPlugins, nodeModulesDirs } from '@modelport/registry';
import { FixtureProject, REPO_ROOT } from './fixtures.js';

describe('discoverPlugins', () => {
  let project: FixtureProject;
  before(async () => {
    project = await FixtureProject.create();
    await project.addExporter('@acme/exporter-x', 'x');
    await project.addExporter('modelport-plugin-lab', 'lab');
    await project.addExporter('@acme/exporter-future', 'future', { core: '^9.0.0' });
    await project.addPackage({ name: 'left-pad', index: 'export default 1;' });
    await project.addPackage({ name: '@acme/broken', modelport: { type: 'compiler', core: '^0.1.0' } });
    // Shadows the workspace package of the same name, as Node's resolution would.
    await project.addPackage({ name: '@modelport/passes', version: '9.9.9', modelport: { type: 'pass', provides: ['mine'], core: '^0.1.0' } });
  });
  after(() => project.remove());

  it('reads what each shipped package is from its manifest type', async () => {
    const found = await discoverPlugins({ cwd: project.dir });
    const typeOf = (name: string) => found.find((p) => p.name === name)?.manifest?.type;
    expect(['@modelport/serving-http', '@modelport/validation', '@modelport/checkpoint-manager', '@modelport/adapter-text'].map(typeOf))
      .to.deep.equal(['serving', 'validator', 'checkpoints', 'adapter']);
  });

  it('searches node_modules of the project folder and of each ancestor, nearest first', () => {
    const dirs = nodeModulesDirs(project.dir);
    expect(dirs[0]).to.equal(path.join(project.dir, 'node_modules'));
    expect(dirs).to.include(path.join(REPO_ROOT, 'node_modules'));
    expect(dirs[dirs.length - 1]).to.equal(path.join(path.parse(project.dir).root, 'node_modules'));
  });

  it('finds fixture packages, scoped and unscoped, and the workspace plugins behind symlinks', async () => {
    const found = await discoverPlugins({ cwd: project.dir });
    const names = found.map((p) => p.name);
    expect(names).to.include.members(['@acme/exporter-x', 'modelport-plugin-lab', '@modelport/exporter-tfjs', '@modelport/preset-default']);
    expect(names).not.to.include('left-pad');
    const tfjs = found.find((p) => p.name === '@modelport/exporter-tfjs')!;
    expect(tfjs.manifest).to.deep.include({ type: 'exporter', provides: ['tfjs'] });
    expect(tfjs.dir).to.equal(path.join(REPO_ROOT, 'plugins', 'exporter-tfjs'));
    expect(tfjs.compatible).to.equal(true);
    const preset = found.find((p) => p.name === '@modelport/preset-default')!;
    expect(preset.manifest).to.deep.include({ type: 'preset', preset: './preset.json' });
  });

  it('lets a package in a nearer node_modules hide one further up', async () => {
    const passes = (await discoverPlugins({ cwd: project.dir })).find((p) => p.name === '@modelport/passes')!;
    expect(passes.version).to.equal('9.9.9');
    expect(passes.dir).to.equal(project.packageDir('@modelport/passes'));
  });

  it('refuses a plugin whose core range excludes the installed core, saying which versions fit', async () => {
    const future = (await discoverPlugins({ cwd: project.dir })).find((p) => p.name === '@acme/exporter-future')!;
    expect(future.compatible).to.equal(false);
    expect(future.reason).to.equal(
      `plugin @acme/exporter-future needs core ^9.0.0 (>=9.0.0 <10.0.0-0); installed core is ${CORE_VERSION}; `
      + `install a @acme/exporter-future version whose core range includes ${CORE_VERSION}, or a @modelport/core version in ^9.0.0 (from 9.0.0)`);
  });

  it('lists a malformed manifest as incompatible, with the key that is wrong and the file', async () => {
    const broken = (await discoverPlugins({ cwd: project.dir })).find((p) => p.name === '@acme/broken')!;
    expect(broken.compatible).to.equal(false);
    expect(broken.manifest).to.equal(undefined);
    expect(broken.reason).to.include('"type" must be one of').and.include(path.join(project.packageDir('@acme/broken'), 'package.json'));
  });
});

describe('checkCoreRange', () => {
  it('accepts a core inside the range, prereleases of it included', () => {
    expect(checkCoreRange('p', '^0.1.0', '0.1.3').compatible).to.equal(true);
    expect(checkCoreRange('p', '^0.1.0', '0.1.1-beta.0').compatible).to.equal(true);
  });

  it('says so when the range is not semver', () => {
    const check = checkCoreRange('p', 'latest please', '0.1.0');
    expect(check.compatible).to.equal(false);
    expect(!check.compatible && check.reason).to.match(/declares core range "latest please", which is not a semver range/);
  });
});
