import { expect } from 'chai';
import { ConfigError, coreServices, createContainer, definePlugin, OptionsError, PluginError, GraphError, type ArtifactRecord } from '@modelport/core';

describe('PluginHost', () => {
  it('validates options against the plugin schema before apply, naming the key', async () => {
    const { host } = coreServices(createContainer());
    let applied = false;
    const plugin = definePlugin({
      name: 'acme-exporter', version: '1.0.0',
      optionsSchema: { type: 'object', additionalProperties: false, properties: { level: { type: 'integer', minimum: 1 } } },
      apply() { applied = true; },
    });
    try {
      await host.apply(plugin, { level: 0, colour: 'red' });
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(OptionsError);
      expect((e as Error).message).to.match(/^\[plugin acme-exporter\] invalid options: .*unknown option "colour"/).and.match(/"level" must be >= 1/);
    }
    expect(applied).to.equal(false);
  });

  it('wraps what a tap throws in a PluginError naming plugin, hook and node', async () => {
    const { host, hooks } = coreServices(createContainer());
    await host.apply(definePlugin({
      name: 'bad-exporter', version: '1.0.0',
      apply(h) { h.writeArtifact.for('bad').tapPromise('bad-exporter', async () => { throw new GraphError('kernel has rank 3', { node: 'conv1', op: 'Conv2D' }); }); },
    }));
    const err = await hooks.writeArtifact.for('bad').promise({} as never, {} as never).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(PluginError);
    expect((err as PluginError).plugin).to.equal('bad-exporter');
    expect((err as PluginError).hook).to.equal('writeArtifact[bad]');
    expect((err as Error).message).to.equal('[plugin bad-exporter] writeArtifact[bad]: node "conv1" (Conv2D): kernel has rank 3');
  });

  it('names taps after the plugin applying them, whatever name the tap used', async () => {
    const { host } = coreServices(createContainer());
    await host.apply(definePlugin({ name: 'real-name', version: '1.0.0', apply(h) { h.writeArtifact.for('x').tapPromise('other', async () => undefined); } }));
    expect(host.providers('writeArtifact', 'x')).to.deep.equal(['real-name']);
  });

  it('refuses two plugins claiming one target unless one is chosen, then calls only that one', async () => {
    const { host, hooks } = coreServices(createContainer());
    const exporter = (name: string) => definePlugin({
      name, version: '1.0.0',
      apply(h) { h.writeArtifact.for('onnx').tapPromise(name, async () => ({ target: 'onnx', plugin: name } as ArtifactRecord)); },
    });
    await host.apply(exporter('first'));
    await host.apply(exporter('second'));
    expect(() => host.assertSingleProvider('writeArtifact', 'onnx', 'target')).to.throw(ConfigError, /2 plugins claim target "onnx" \(first, second\)/);
    host.choose('writeArtifact', 'onnx', 'second');
    host.assertSingleProvider('writeArtifact', 'onnx', 'target');
    const record = await hooks.writeArtifact.for('onnx').promise({} as never, {} as never);
    expect(record!.plugin).to.equal('second');
  });

  it('says when no plugin provides a target', () => {
    const { host } = coreServices(createContainer());
    expect(() => host.assertSingleProvider('writeArtifact', 'coreml', 'target')).to.throw(ConfigError, /no plugin provides target "coreml"/);
  });
});
