import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@modelport/core';
import { describeReason, Registry } from '@modelport/registry';
import { FixtureProject, REPO_ROOT, rejection } from './fixtures.js';

describe('presets', () => {
  let project: FixtureProject;
  before(async () => {
    project = await FixtureProject.create();
    await project.addExporter('@acme/exporter-x', 'x');
    await project.addExporter('@acme/exporter-y', 'y');
    await project.addExporter('@acme/exporter-w', 'w');
    await project.addPackage({ name: '@acme/pass-a', modelport: { type: 'pass', provides: ['a'], core: '^0.1.0' }, index: 'export default { name: "@acme/pass-a", version: "1.0.0", apply() {} };' });
    await project.addPreset('@acme/preset-base', { plugins: [['@acme/exporter-x', { level: 1, colour: 'red' }], '@acme/pass-a'] });
    await project.addPreset('@acme/preset-ml', { extends: ['@acme/preset-base'], plugins: [['@acme/exporter-x', { level: 2 }], '@acme/exporter-y'] });
    await project.addPreset('@acme/preset-loop-a', { extends: ['@acme/preset-loop-b'], plugins: [] });
    await project.addPreset('@acme/preset-loop-b', { extends: ['@acme/preset-loop-a'], plugins: [] });
    await project.addPreset('@acme/preset-typo', { plugins: ['@acme/exporter-z'] });
  });
  after(() => project.remove());

  it('puts an extended preset first, so the extending preset wins for options', async () => {
    const plan = await new Registry({ cwd: project.dir }).resolve({ presets: ['@acme/preset-ml'] });
    expect(plan.plugins.map((p) => p.name)).to.deep.equal(['@acme/exporter-x', '@acme/pass-a', '@acme/exporter-y']);
    expect(plan.plugins[0]!.options).to.deep.equal({ level: 2, colour: 'red' });
    expect(describeReason(plan.plugins[1]!.reason)).to.equal('from preset @acme/preset-base (@acme/preset-ml extends @acme/preset-base)');
    expect(describeReason(plan.plugins[2]!.reason)).to.equal('from preset @acme/preset-ml');
  });

  it('keeps a preset plugin in its place when the config changes its options, and applies plugins the config adds after', async () => {
    const plan = await new Registry({ cwd: project.dir }).resolve({ presets: ['@acme/preset-ml'], plugins: ['@acme/exporter-w', ['@acme/exporter-y', { fast: true }], ['@acme/exporter-x', { colour: 'blue' }]] });
    expect(plan.plugins.map((p) => p.name)).to.deep.equal(['@acme/exporter-x', '@acme/pass-a', '@acme/exporter-y', '@acme/exporter-w']);
    expect(plan.plugins[0]!.options).to.deep.equal({ level: 2, colour: 'blue' });
    expect(describeReason(plan.plugins[0]!.reason)).to.equal('from preset @acme/preset-base (@acme/preset-ml extends @acme/preset-base)');
    expect(describeReason(plan.plugins[3]!.reason)).to.equal('named in code config plugins');
  });

  it('remembers which preset or config set each option', async () => {
    const plan = await new Registry({ cwd: project.dir }).resolve({ presets: ['@acme/preset-ml'], plugins: [['@acme/exporter-x', { colour: 'blue' }]] });
    expect(plan.plugins[0]!.optionSources).to.deep.equal({
      level: { kind: 'preset', preset: '@acme/preset-ml', file: path.join(project.packageDir('@acme/preset-ml'), 'preset.json') },
      colour: { kind: 'config', label: 'code config' },
    });
  });

  it('takes export defaults from presets, the extending preset winning, and lets the config override them key by key', async () => {
    await project.addPreset('@acme/preset-targets', { plugins: [], export: { targets: ['x', 'y'], quantize: 'float16' } });
    await project.addPreset('@acme/preset-targets-more', { extends: ['@acme/preset-targets'], plugins: [], export: { targets: ['y'] } });
    const plan = await new Registry({ cwd: project.dir }).resolve({ presets: ['@acme/preset-targets-more'], export: { quantize: 'uint8' } });
    expect(plan.exportDefaults).to.deep.equal({ targets: ['y'], quantize: 'uint8' });
    expect(plan.exportSources).to.deep.equal({
      targets: { kind: 'preset', preset: '@acme/preset-targets-more', file: path.join(project.packageDir('@acme/preset-targets-more'), 'preset.json') },
      quantize: { kind: 'config', label: 'code config' },
    });
  });

  it('refuses a preset whose export defaults are not export options, naming the preset file and the key meant', async () => {
    const dir = await project.addPreset('@acme/preset-bad-export', { plugins: [], export: { target: ['x'] } });
    const err = await rejection(new Registry({ cwd: project.dir }).resolve({ presets: ['@acme/preset-bad-export'] }));
    expect(err.message).to.equal(`[plugin @acme/preset-bad-export] file "${path.join(dir, 'preset.json')}": invalid preset file: unknown option "export.target"; did you mean "export.targets"?`);
  });

  it('turns off a plugin a preset brought in when the config gives it false', async () => {
    const plan = await new Registry({ cwd: project.dir }).resolve({ presets: ['@acme/preset-ml'], plugins: [['@acme/pass-a', false]] });
    expect(plan.plugins.map((p) => p.name)).to.deep.equal(['@acme/exporter-x', '@acme/exporter-y']);
    expect(plan.disabled).to.deep.equal(['@acme/pass-a']);
  });

  it('refuses presets that extend each other in a cycle, naming the cycle', async () => {
    const err = await rejection(new Registry({ cwd: project.dir }).resolve({ presets: ['@acme/preset-loop-a'] }));
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.include('presets extend each other in a cycle: @acme/preset-loop-a extends @acme/preset-loop-b extends @acme/preset-loop-a');
    expect((err as ConfigError).file).to.equal(`${project.packageDir('@acme/preset-loop-b')}/preset.json`);
  });

  it('names the preset file when a preset names a plugin that is not installed', async () => {
    const err = await rejection(new Registry({ cwd: project.dir }).resolve({ presets: ['@acme/preset-typo'] })) as ConfigError;
    expect(err.message).to.include('no plugin "@acme/exporter-z" is installed (named in preset @acme/preset-typo;').and.match(/Did you mean (@acme\/exporter-\w or )*@acme\/exporter-x/);
    expect(err.file).to.equal(`${project.packageDir('@acme/preset-typo')}/preset.json`);
  });

  it('resolves the real default preset from its package.json and preset.json', async () => {
    const plan = await new Registry({ cwd: project.dir }).resolve({ presets: ['default'] });
    expect(plan.plugins.map((p) => p.name)).to.include.members(['@modelport/importer-tfjs', '@modelport/exporter-tfjs', '@modelport/validation']);
    expect(describeReason(plan.plugins[0]!.reason)).to.equal('from preset @modelport/preset-default');
  });

  it('uses the default preset when the project has no config file, and says so', async () => {
    const plan = await new Registry({ cwd: project.dir }).resolve();
    expect(plan.file).to.equal(undefined);
    expect(describeReason(plan.plugins[0]!.reason)).to.equal('from preset @modelport/preset-default, the default when there is no modelport.config.json');
  });
});

describe('the shipped presets as the docs describe them', () => {
  it('lists in docs/presets.md exactly the plugins preset-default applies, in order', async () => {
    const docs = await readFile(path.join(REPO_ROOT, 'docs', 'presets.md'), 'utf8');
    const listed = /`@modelport\/preset-default` applies: ([^.]+)\./.exec(docs)?.[1]?.split(',').map((s) => s.trim());
    const preset = JSON.parse(await readFile(path.join(REPO_ROOT, 'plugins', 'preset-default', 'preset.json'), 'utf8')) as { plugins: string[] };
    expect(listed).to.deep.equal(preset.plugins);
    expect(listed).to.include.members(['exporter-onnx', 'runtime-onnx', 'exporter-tflite', 'runtime-tflite']);
  });
});
