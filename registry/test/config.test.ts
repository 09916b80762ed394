import { expect } from 'chai';
import { ConfigError, OptionsError } from '@modelport/core';
import { loadConfig, readConfig, Registry, validateConfig } from '@modelport/registry';
import { FixtureProject, rejection } from './fixtures.js';

describe('modelport.config.json', () => {
  let project: FixtureProject;
  beforeEach(async () => { project = await FixtureProject.create(); });
  afterEach(() => project.remove());

  it('reads presets, plugins with options, choose and export defaults', async () => {
    const config = {
      presets: ['default'],
      plugins: ['@acme/exporter-x', ['exporter-tfjs', { shardSizeBytes: 1048576 }]],
      choose: { writeArtifact: { tfjs: '@modelport/exporter-tfjs' } },
      export: { targets: ['tfjs'], quantize: 'float16' },
    };
    const file = await project.writeConfig(config);
    expect(await loadConfig({ cwd: project.dir })).to.deep.equal({ config, file, origin: 'file' });
  });

  it('names every unknown or wrong key, and the file', async () => {
    const file = await project.writeConfig({ preset: ['default'], plugins: [['x', { a: 1 }, 'extra'], 42], choose: { writeartifact: {} }, export: { target: 'tfjs', seed: 'one' } });
    const err = await rejection(readConfig(file)) as OptionsError;
    expect(err).to.be.instanceOf(OptionsError);
    expect(err.file).to.equal(file);
    expect(err.message).to.include(`file "${file}": invalid modelport.config.json:`)
      .and.include('unknown option "preset"; did you mean "presets"?')
      .and.include('"plugins.0" must NOT have more than 2 items')
      .and.include('"plugins.1" must be string,array')
      .and.include('unknown option "choose.writeartifact"; did you mean "choose.writeArtifact"?')
      .and.include('unknown option "export.target"; did you mean "export.targets"?')
      .and.include('"export.seed" must be integer');
  });

  it('does not fill export defaults in, so that they cannot override a command-line flag', () => {
    expect(validateConfig({ export: { out: 'models' } })).to.deep.equal({ export: { out: 'models' } });
  });

  it('says when the file is not JSON', async () => {
    const file = await project.writeConfig('{ "presets": [ }');
    const err = await rejection(loadConfig({ cwd: project.dir })) as ConfigError;
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.match(/the config is not valid JSON/);
    expect(err.file).to.equal(file);
  });

  it('is what the registry reads from the project folder when no config is passed', async () => {
    const file = await project.writeConfig({ presets: [], plugins: ['exporter-tfjs'], export: { out: 'repo' } });
    const plan = await new Registry({ cwd: project.dir }).resolve();
    expect(plan.file).to.equal(file);
    expect(plan.plugins.map((p) => p.name)).to.deep.equal(['@modelport/exporter-tfjs']);
    expect(plan.exportDefaults).to.deep.equal({ out: 'repo' });
  });

  it('takes short names in choose, matched against the configured plugins', async () => {
    const plan = await new Registry({ cwd: project.dir }).resolve({ plugins: ['exporter-onnx', 'exporter-tfjs'], choose: { writeArtifact: { onnx: 'exporter-onnx', lab: 'lab-exporter' } } });
    expect(plan.choose).to.deep.equal([
      { hook: 'writeArtifact', key: 'onnx', plugin: '@modelport/exporter-onnx', origin: 'choose.writeArtifact.onnx in code config' },
      { hook: 'writeArtifact', key: 'lab', plugin: 'lab-exporter', origin: 'choose.writeArtifact.lab in code config' },
    ]);
  });

  it('takes --preset instead of the configured presets and --plugin after the configured plugins', async () => {
    await project.writeConfig({ presets: ['default'], plugins: ['exporter-onnx'] });
    const plan = await new Registry({ cwd: project.dir }).resolve(undefined, { presets: [], plugins: ['runtime-onnx'] });
    expect(plan.plugins.map((p) => p.name)).to.deep.equal(['@modelport/exporter-onnx', '@modelport/runtime-onnx']);
  });
});
