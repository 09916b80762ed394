import { expect } from 'chai';
import path from 'node:path';
import { ConfigError, CORE_VERSION } from '@modelport/core';
import { readFile, writeFile } from 'node:fs/promises';
import { checkCoreRange, discoverPlugins, nodeModulesDirs, Registry } from '@modelport/registry';
import { FixtureProject, REPO_ROOT, rejection } from './fixtures.js';

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
    expect(broken.packageJson).to.equal(path.join(project.packageDir('@acme/broken'), 'package.json'));
    // The problem alone: whoever shows it names the package and the file once.
    expect(broken.reason).to.match(/^invalid "modelport" field: "type" must be one of "exporter", /);
  });

  it('lists packages that mean to be plugins and cannot be read as one, instead of leaving them out', async () => {
    const dir = project.packageDir('@acme/garbled');
    await project.addPackage({ name: '@acme/nameless', modelport: { type: 'exporter', core: '^0.1.0' } });
    await project.addPackage({ name: '@acme/stringly', modelport: 'exporter' as never });
    await project.addPackage({ name: '@acme/garbled' });
    await writeFile(path.join(dir, 'package.json'), '{ "name": "@acme/garbled", "modelport": { "type": "exporter" }');
    const nameless = JSON.parse(await readFile(path.join(project.packageDir('@acme/nameless'), 'package.json'), 'utf8')) as Record<string, unknown>;
    delete nameless.name;
    await writeFile(path.join(project.packageDir('@acme/nameless'), 'package.json'), JSON.stringify(nameless));
    const found = await discoverPlugins({ cwd: project.dir });
    const problemOf = (name: string) => found.find((p) => p.name === name)?.problem;
    expect(problemOf('@acme/garbled')).to.match(/^package\.json is not valid JSON \(.+\); its author must fix it$/);
    expect(problemOf('@acme/nameless')).to.equal('package.json has a "modelport" field but no "name"; its author must add one');
    expect(problemOf('@acme/stringly')).to.equal('the "modelport" field is "exporter"; it must be an object { "type", "provides", "core" }');
  });

  it('names the package and file of a malformed manifest once when it is used', async () => {
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ presets: [], plugins: ['@acme/broken'] })) as ConfigError;
    const file = path.join(project.packageDir('@acme/broken'), 'package.json');
    expect(err.message.split(`file "${file}"`)).to.have.length(2);
    expect(err.message).to.match(/^\[plugin @acme\/broken\] file ".+": invalid "modelport" field: "type" must be one of .* \(named in code config plugins\); its author must fix the package\.json, or stop naming the package$/);
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
