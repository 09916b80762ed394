import { expect } from 'chai';
import { ConfigError } from '@modelport/core';
import { closeNames, nameCandidates, Registry } from '@modelport/registry';
import { FixtureProject, rejection } from './fixtures.js';

describe('plugin and preset names', () => {
  it('normalises short names Babel style and keeps full ones', () => {
    expect(nameCandidates('exporter-tfjs', 'plugin')).to.deep.equal(['@modelport/exporter-tfjs', 'modelport-plugin-exporter-tfjs']);
    expect(nameCandidates('@acme/x', 'plugin')).to.deep.equal(['@acme/x']);
    expect(nameCandidates('modelport-plugin-x', 'plugin')).to.deep.equal(['modelport-plugin-x']);
    expect(nameCandidates('onnx', 'plugin')).to.include.ordered.members(['@modelport/onnx', '@modelport/exporter-onnx']);
    expect(nameCandidates('default', 'preset')).to.deep.equal(['@modelport/preset-default', 'modelport-preset-default']);
    expect(nameCandidates('preset-default', 'preset')[0]).to.equal('@modelport/preset-default');
  });

  it('finds close names by edit distance and containment', () => {
    const installed = ['@modelport/exporter-tfjs', '@modelport/exporter-onnx', '@modelport/runtime-tfjs', '@acme/unrelated'];
    expect(closeNames('exporter-tfsj', installed)[0]).to.equal('@modelport/exporter-tfjs');
    expect(closeNames('tfjs', installed)).to.include.members(['@modelport/exporter-tfjs', '@modelport/runtime-tfjs']);
    expect(closeNames('quantizer-int8', installed)).to.deep.equal([]);
  });

  describe('resolved against installed packages', () => {
    let project: FixtureProject;
    before(async () => {
      project = await FixtureProject.create();
      await project.addExporter('modelport-plugin-lab', 'lab');
      await project.addPackage({ name: '@acme/not-a-plugin', index: 'export default 1;' });
    });
    after(() => project.remove());

    it('resolves short plugin and preset names to the installed packages', async () => {
      const plan = await new Registry({ cwd: project.dir }).resolve({ presets: ['default'], plugins: ['exporter-onnx', 'lab'] });
      expect(plan.plugins.map((p) => p.name)).to.deep.equal([
        '@modelport/importer-tfjs', '@modelport/passes', '@modelport/quantizer-weights', '@modelport/quantizer-int8',
        '@modelport/exporter-tfjs', '@modelport/runtime-tfjs', '@modelport/exporter-onnx', '@modelport/runtime-onnx',
        '@modelport/exporter-tflite', '@modelport/runtime-tflite',
        '@modelport/importer-savedmodel', '@modelport/runtime-savedmodel', '@modelport/exporter-savedmodel', '@modelport/exporter-tfhub',
        '@modelport/module-image', '@modelport/module-classification', '@modelport/module-detection', '@modelport/validation',
        'modelport-plugin-lab',
      ]);
    });

    it('lists the close installed names when a short name resolves to nothing', async () => {
      const err = await rejection(new Registry({ cwd: project.dir }).resolve({ plugins: ['exporter-tfsj'] }));
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.match(/^no plugin "exporter-tfsj" is installed \(named in code config plugins; looked for @modelport\/exporter-tfsj, modelport-plugin-exporter-tfsj in node_modules of /)
        .and.include(`${project.dir} and their parent folders). Did you mean @modelport/exporter-tfjs`);
      const preset = await rejection(new Registry({ cwd: project.dir }).resolve({ presets: ['defualt'] }));
      expect(preset.message).to.include('no preset "defualt" is installed').and.include('Did you mean @modelport/preset-default?');
    });

    it('refuses a short name that fits several plugin types, naming them', async () => {
      const err = await rejection(new Registry({ cwd: project.dir }).resolve({ plugins: ['onnx'] }));
      expect(err.message).to.equal('"onnx" (named in code config plugins) could be @modelport/exporter-onnx or @modelport/runtime-onnx; write the full name');
    });

    it('says when a named package is installed but is no modelport plugin', async () => {
      const err = await rejection(new Registry({ cwd: project.dir }).resolve({ plugins: ['@acme/not-a-plugin'] })) as ConfigError;
      expect(err.message).to.include('@acme/not-a-plugin is installed but its package.json has no "modelport" field');
      expect(err.file).to.equal(`${project.packageDir('@acme/not-a-plugin')}/package.json`);
    });

    it('keeps presets and plugins apart', async () => {
      const asPlugin = await rejection(new Registry({ cwd: project.dir }).resolve({ plugins: ['preset-default'] }));
      expect(asPlugin.message).to.match(/@modelport\/preset-default is a preset; list it under "presets"/);
      const asPreset = await rejection(new Registry({ cwd: project.dir }).resolve({ presets: ['@modelport/passes'] }));
      expect(asPreset.message).to.match(/@modelport\/passes is a pass plugin, not a preset; list it under "plugins"/);
    });

    it('reports every unusable name at once', async () => {
      const err = await rejection(new Registry({ cwd: project.dir }).resolve({ plugins: ['nope-one', 'exporter-nope'] }));
      expect(err.message).to.match(/^2 configured plugins cannot be used: \(1\) no plugin "nope-one".*\(2\) no plugin "exporter-nope"/);
    });
  });
});
