import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { attrValue, coreServices, createContainer, GraphBuilder, initBackend, listVersions, ModelportError, OptionsError, type Graph } from '@modelport/core';
import { Registry } from '@modelport/registry';
import {
  CHECKPOINT_INDEX, CheckpointManager, listCheckpoints, listCheckpointsTable, pruneCheckpoints, readIndex, verifyVersion,
} from '@modelport/checkpoint-manager';
import { hostServices, recordingLogger, scratchDir, sleep, tinyModel } from './support.js';

const EXAMPLE_MODEL = path.resolve(process.cwd(), 'examples/tiny-cnn/model.json');

function smallGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 4]);
  const w = b.constant('w', 'float32', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  const y = b.node('mm', { op: 'MatMul', inputs: [x, w], attrs: { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) } });
  return b.outputs(b.node('relu', { op: 'Relu', inputs: [y] })).build();
}

describe('CheckpointManager', function () {
  let base: string;
  before(() => initBackend());
  beforeEach(async () => { base = await scratchDir('manager'); });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  it('saves versions numbered by step, with step, time and metrics in export.json and checkpoint.json', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'net', export: { validate: false } }, await hostServices());
    const model = tinyModel();
    const first = await manager.save(model, { step: 10, metrics: { loss: 0.5, val: { loss: 0.7 } } });
    const second = await manager.save(model, { metrics: { loss: 0.4, val: { loss: NaN } } });
    expect([first.version, second.version]).to.deep.equal([10, 11]);
    expect(second.step).to.equal(11);
    expect(second.metrics).to.deep.equal({ loss: 0.4, val: { loss: null } });
    expect((await verifyVersion(first.dir)).problems).to.deep.equal([]);
    const manifest = JSON.parse(await fs.readFile(path.join(first.dir, 'export.json'), 'utf8'));
    expect(manifest.options.metadata.checkpoint).to.include({ step: 10 });
    expect(manifest.targets.map((t: { target: string }) => t.target)).to.deep.equal(['tfjs', 'tfjs-layers']);
    const index = (await readIndex(manager.modelDir)).index!;
    expect(index.checkpoints.map((c) => c.version)).to.deep.equal([10, 11]);
    expect((await manager.list()).map((c) => [c.version, c.step])).to.deep.equal([[10, 10], [11, 11]]);
    expect((await manager.latest())?.version).to.equal(11);
    expect((await manager.best('val.loss'))?.version).to.equal(10);
    expect((await manager.best('loss', 'max'))?.version).to.equal(10);
  });

  it('refuses a step that does not grow with versioning "step", naming the directory', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'net', export: { validate: false } }, await hostServices());
    await manager.save(tinyModel(), { step: 5 });
    const error = await manager.save(tinyModel(), { step: 5 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OptionsError);
    expect((error as OptionsError).file).to.equal(manager.modelDir);
    expect((error as Error).message).to.match(/step 5 is not after the latest version 5/);
    expect(await listVersions(manager.modelDir)).to.deep.equal([5]);
  });

  it('numbers versions by sequence or by timestamp, always growing', async () => {
    const seq = new CheckpointManager({ directory: base, model: 'seq', versioning: 'sequence', export: { validate: false } }, await hostServices());
    await seq.save(tinyModel(), { step: 100 });
    expect((await seq.save(tinyModel(), { step: 3 })).version).to.equal(2);
    const ts = new CheckpointManager({ directory: base, model: 'ts', versioning: 'timestamp', export: { validate: false } }, await hostServices());
    const a = await ts.save(tinyModel());
    const b = await ts.save(tinyModel());
    expect(a.version).to.be.closeTo(Date.now() / 1000, 60);
    expect(b.version).to.be.greaterThan(a.version);
  });

  it('applies retention after each save: the newest N and the best by metric survive', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'net', maxToKeep: 2, keepBest: { metric: 'val.loss', mode: 'min' }, export: { validate: false } }, await hostServices());
    const losses = [0.9, 0.3, 0.5, 0.8, 0.6];
    for (const [i, loss] of losses.entries()) await manager.save(tinyModel(), { step: i + 1, metrics: { val: { loss } } });
    expect(await listVersions(manager.modelDir)).to.deep.equal([2, 4, 5]);
    expect((await manager.list()).map((c) => c.version)).to.deep.equal([2, 4, 5]);
    const table = await listCheckpointsTable(manager.modelDir);
    expect(table.split('\n')[0]).to.match(/^version\s+step\s+time\s+val\.loss\s+kept by$/);
    expect(table).to.match(/\n2\s+2\s+\S+\s+0\.3\s+best\n/);
    const pruned = await pruneCheckpoints(manager.modelDir, { maxToKeep: 1 });
    expect(pruned.removed).to.deep.equal([2, 4]);
    expect((await listCheckpoints(manager.modelDir)).map((r) => r.version)).to.deep.equal([5]);
  });

  it('saves a Graph IR and a model.json source as well as a tf.LayersModel', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'g', export: { validate: false } }, await hostServices());
    const fromGraph = await manager.save(smallGraph(), { step: 1 });
    expect(JSON.parse(await fs.readFile(path.join(fromGraph.dir, 'export.json'), 'utf8')).source.format).to.equal('modelport-graph');
    const restored = await manager.restore(fromGraph) as tf.GraphModel;
    const y = restored.predict(tf.tensor2d([[1, 0, 0, -1]])) as tf.Tensor;
    expect(Array.from(await y.data())).to.deep.equal([0, 0]); // relu([1-7, 2-8])
    const fromFile = await manager.save({ format: 'tfjs', path: EXAMPLE_MODEL }, { step: 2 });
    expect((await verifyVersion(fromFile.dir)).ok).to.equal(true);
  });

  it('restores the exact layers model, and the graph model, with equal predictions', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'net' }, await hostServices());
    const model = tinyModel(3);
    const saved = await manager.save(model, { step: 1 });
    const x = tf.randomNormal([16, 4], 0, 1, 'float32', 7);
    const expected = await (model.predict(x) as tf.Tensor).data();
    const layers = await manager.restore(saved.version, 'layers');
    expect(layers).to.be.instanceOf(tf.LayersModel);
    expect(Array.from(await (layers.predict(x) as tf.Tensor).data())).to.deep.equal(Array.from(expected));
    const graph = await manager.restore(saved.version, 'graph');
    expect(graph).to.be.instanceOf(tf.GraphModel);
    const fromGraph = await (graph.predict(x) as tf.Tensor).data();
    fromGraph.forEach((v, i) => expect(v).to.be.closeTo(expected[i]!, 1e-5));
  });

  it('refuses to restore a damaged version, naming the file', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'net', export: { validate: false } }, await hostServices());
    const saved = await manager.save(tinyModel(), { step: 1 });
    const weights = path.join(saved.dir, 'layers/weights.bin');
    const bytes = await fs.readFile(weights);
    bytes[0] ^= 0xff;
    await fs.writeFile(weights, bytes);
    const error = await manager.restore(1).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ModelportError);
    expect((error as ModelportError).file).to.equal(weights);
    expect((await verifyVersion(saved.dir)).problems).to.have.length(1);
  });

  it('rebuilds checkpoint.json from the versions when it is lost or corrupt, saying which file', async () => {
    const logger = recordingLogger();
    const manager = new CheckpointManager({ directory: base, model: 'net', export: { validate: false } }, { ...(await hostServices()), logger });
    await manager.save(tinyModel(), { step: 1, metrics: { loss: 1 } });
    await manager.save(tinyModel(), { step: 2, metrics: { loss: 2 } });
    const indexFile = path.join(manager.modelDir, CHECKPOINT_INDEX);
    const before = await manager.list();
    await fs.writeFile(indexFile, '{ "format": "modelport-checkpoints", "checkp');
    expect(await manager.list()).to.deep.equal(before);
    expect(logger.messages.join('\n')).to.contain(indexFile);
    await manager.open();
    expect((await readIndex(manager.modelDir)).index?.checkpoints.map((c) => c.metrics)).to.deep.equal([{ loss: 1 }, { loss: 2 }]);
    await fs.rm(indexFile);
    expect(await manager.list()).to.deep.equal(before);
  });

  it('removes leftovers of dead writers at start-up and leaves a live writer\'s alone', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'net', export: { validate: false } }, await hostServices());
    await manager.save(tinyModel(), { step: 1 });
    const dead = 2 ** 22 + 12345; // above pid_max: no such process
    const leftovers = [`.tmp-${dead}-a1b2c3`, `.tmp-${dead}-removed-7-abcd`, `.tmp-${process.ppid}-busy`];
    for (const name of leftovers) await fs.mkdir(path.join(manager.modelDir, name, 'tfjs'), { recursive: true });
    await fs.writeFile(path.join(manager.modelDir, `checkpoint.json.${dead}.1700000000000.tmp`), '{');
    await new CheckpointManager({ directory: base, model: 'net' }).open();
    const names = (await fs.readdir(manager.modelDir)).sort();
    expect(names).to.deep.equal([`.tmp-${process.ppid}-busy`, '1', CHECKPOINT_INDEX].sort());
  });

  it('yields each new complete version from watch()', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'net', versioning: 'sequence', export: { validate: false } }, await hostServices());
    await manager.save(tinyModel(), { step: 1 });
    const abort = new AbortController();
    const seen: number[] = [];
    const watching = (async () => {
      for await (const c of manager.watch({ signal: abort.signal, pollMs: 50 })) {
        seen.push(c.version);
        expect((await verifyVersion(c.dir)).ok).to.equal(true);
        if (seen.length === 2) abort.abort();
      }
    })();
    await sleep(100);
    await manager.save(tinyModel(), { step: 2 });
    await manager.save(tinyModel(), { step: 3 });
    await watching;
    expect(seen).to.deep.equal([2, 3]);
  });

  it('is a plugin the registry can apply, and takes a host\'s configured container', async () => {
    const container = createContainer();
    const registry = new Registry({ cwd: process.cwd(), container });
    await registry.configure({ presets: ['default'], plugins: ['checkpoint-manager'] });
    const explained = registry.explain().hooks.map((h) => `${h.hook}${h.key ? `[${h.key}]` : ''}: ${h.plugins.join(', ')}`);
    expect(explained).to.include('writeArtifact[tfjs-layers]: @modelport/checkpoint-manager');
    const manager = new CheckpointManager({ directory: base, model: 'hosted' }, { container });
    const saved = await manager.save(tinyModel(), { step: 1 });
    expect(coreServices(container).host.plugins().filter((p) => p.name === '@modelport/checkpoint-manager')).to.have.length(1);
    expect((await verifyVersion(saved.dir)).ok).to.equal(true);
  });

  it('refuses to save without a host\'s container, saying where and what to pass', async () => {
    const manager = new CheckpointManager({ directory: base, model: 'unhosted' });
    const error = await manager.save(tinyModel(), { step: 1 }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(OptionsError);
    expect((error as Error).message).to.match(/^\[plugin @modelport\/checkpoint-manager\] cannot save to ".*unhosted": the manager has no export session/)
      .and.contain('new CheckpointManager(options, { container })').and.contain('openCheckpointManager in @modelport/trainer-export');
    expect(await listVersions(manager.modelDir)).to.deep.equal([]);
  });

  it('validates its options against options.schema.json, naming each bad key', () => {
    const bad = () => new CheckpointManager({ directory: base, maxToKeep: 0, keepBest: { metric: 'x', mode: 'avg' as 'min' }, versioning: 'epoch' as 'step' });
    expect(bad).to.throw(OptionsError).with.property('message')
      .that.matches(/"maxToKeep" must be >= 1/).and.matches(/"keepBest\.mode" must be one of "min", "max"/).and.matches(/"versioning" must be one of/).and.matches(/options\.schema\.json/);
    expect(() => new CheckpointManager({ directory: base, export: { out: 'elsewhere' } as object })).to.throw(OptionsError, /"export\.out" is set by the manager/);
  });
});
