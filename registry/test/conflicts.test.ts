import { expect } from 'chai';
import { ConfigError, definePlugin, type ArtifactRecord } from '@modelport/core';
import { formatExplanation, Registry } from '@modelport/registry';
import { FixtureProject, rejection } from './fixtures.js';

describe('conflicts and choose', () => {
  let project: FixtureProject;
  before(async () => {
    project = await FixtureProject.create();
    await project.addExporter('@acme/exporter-x', 'tfjs');
    await project.addExporter('@acme/exporter-y', 'tfjs');
    // Its manifest says "pass", but it taps writeArtifact for tfjs: only visible once applied.
    await project.addExporter('@acme/sneaky', 'tfjs', { type: 'pass', manifestTarget: 'sneaky' });
    await project.addPreset('@acme/preset-web', { plugins: ['@acme/exporter-y'] });
  });
  after(() => project.remove());

  it('refuses two plugins providing one target without choose, before importing them, naming both', async () => {
    const registry = new Registry({ cwd: project.dir });
    const err = await rejection(registry.resolve({ presets: ['@acme/preset-web'], plugins: ['@acme/exporter-x'] })) as ConfigError;
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.hook).to.equal('writeArtifact');
    expect(err.message).to.equal('writeArtifact: 2 plugins provide target "tfjs" (writeArtifact): '
      + '@acme/exporter-y (from preset @acme/preset-web), @acme/exporter-x (named in code config plugins); '
      + 'choose the one to use in code config: { "choose": { "writeArtifact": { "tfjs": "@acme/exporter-y" } } } (or another plugin of the list)');
    expect(registry.host.plugins()).to.deep.equal([]);
  });

  it('names the config file and shows the snippet when the config is a file', async () => {
    const file = await project.writeConfig({ presets: ['@acme/preset-web'], plugins: ['@acme/exporter-x'] });
    const err = await rejection(new Registry({ cwd: project.dir }).resolve()) as ConfigError;
    expect(err.file).to.equal(file);
    expect(err.message).to.include('choose the one to use in modelport.config.json: { "choose"');
  });

  it('lets choose settle it: only the chosen plugin answers, and explain says why', async () => {
    await project.writeConfig({ presets: ['@acme/preset-web'], plugins: ['@acme/exporter-x'], choose: { writeArtifact: { tfjs: '@acme/exporter-y' } } });
    const registry = new Registry({ cwd: project.dir });
    await registry.configure();
    const record = await registry.hooks.writeArtifact.for('tfjs').promise({} as never, {} as never);
    expect(record!.plugin).to.equal('@acme/exporter-y');
    registry.host.assertSingleProvider('writeArtifact', 'tfjs', 'target');
    const tfjs = registry.explain().hooks.find((h) => h.hook === 'writeArtifact' && h.key === 'tfjs')!;
    expect(tfjs.chosen).to.equal('@acme/exporter-y');
    expect(tfjs.why).to.equal('from preset @acme/preset-web; chosen by choose.writeArtifact.tfjs in modelport.config.json over @acme/exporter-x');
  });

  it('counts a plugin registered in code among the providers of a target', async () => {
    const registry = new Registry({ cwd: project.dir });
    await registry.register(definePlugin({
      name: 'lab-tfjs', version: '0.0.1',
      apply(h) { h.writeArtifact.for('tfjs').tapPromise('lab-tfjs', async () => ({ target: 'tfjs', plugin: 'lab-tfjs' } as ArtifactRecord)); },
    }));
    const err = await rejection(registry.resolve({ plugins: ['@acme/exporter-x'] }));
    expect(err.message).to.include('2 plugins provide target "tfjs" (writeArtifact): lab-tfjs (registered in code), @acme/exporter-x (named in code config plugins)');
    await registry.configure({ plugins: ['@acme/exporter-x'], choose: { writeArtifact: { tfjs: 'lab-tfjs' } } });
    expect((await registry.hooks.writeArtifact.for('tfjs').promise({} as never, {} as never))!.plugin).to.equal('lab-tfjs');
    expect(formatExplanation(registry.explain())).to.include(
      '  writeArtifact[tfjs]: lab-tfjs — registered in code; chosen by choose.writeArtifact.tfjs in code config over @acme/exporter-x');
  });

  it('finds a conflict the manifests do not show once the plugins are applied', async () => {
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ plugins: ['@acme/exporter-x', '@acme/sneaky'] }));
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.include('2 plugins provide target "tfjs" (writeArtifact): @acme/exporter-x (named in code config plugins), @acme/sneaky (named in code config plugins)');
  });

  it('refuses a choose that names a plugin which does not provide the key', async () => {
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ plugins: ['@acme/exporter-x', '@acme/sneaky'], choose: { writeArtifact: { tfjs: '@acme/exporter-y' } } }));
    expect(err.message).to.equal('choose.writeArtifact.tfjs in code config names @acme/exporter-y, which does not provide target "tfjs"; it is provided by @acme/exporter-x, @acme/sneaky');
  });

  it('explains unkeyed hooks in the order their taps run (stage first), and says when nobody taps one', async () => {
    const registry = new Registry({ cwd: project.dir });
    await registry.register(definePlugin({ name: 'pass-one', version: '1.0.0', apply(h) { h.transformGraph.tap('pass-one', (g) => g); } }));
    await registry.register(definePlugin({ name: 'pass-two', version: '1.0.0', apply(h) { h.transformGraph.tap('pass-two', (g) => g); } }));
    await registry.register(definePlugin({ name: 'pass-early', version: '1.0.0', apply(h) { h.transformGraph.tap({ name: 'pass-early', stage: -10 }, (g) => g); } }));
    const { hooks } = registry.explain();
    expect(hooks.find((h) => h.hook === 'transformGraph')).to.deep.equal({
      hook: 'transformGraph', plugins: ['@modelport/core', 'pass-early', 'pass-one', 'pass-two'], stages: [-100, -10, 0, 0],
      why: '@modelport/core [stage -100] (built into the core: pins --input-shape and freezes --input-value before the passes), '
        + 'then pass-early [stage -10] (registered in code), then pass-one [stage 0] (registered in code), then pass-two [stage 0] (registered in code)',
    });
    expect(hooks.find((h) => h.hook === 'quantize')!.why).to.equal('no plugin taps it');
  });
});
