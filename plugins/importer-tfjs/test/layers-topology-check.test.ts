import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { GraphError, initBackend, ModelLoadError, readTfjsModelFiles } from '@modelport/core';
import { importLayersModelFile } from '../src/layers-model.js';
import { assertLayersTopology, layersTopologyProblems } from '../src/layers/index.js';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'examples', 'tiny-cnn', 'model.json');

type Topology = { config: { layers: { name: string; inbound_nodes: unknown[][] }[]; output_layers: unknown[] } };

/** image → a → b → c, as tfjs serialises it (snake_case keys, [layer, node, tensor, kwargs]). */
function chain(): Topology {
  const image = tf.input({ shape: [4], name: 'image' });
  let x = image;
  for (const name of ['a', 'b', 'c']) x = tf.layers.dense({ units: 4, name }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: x, name: 'chain' }).toJSON(null, false) as unknown as Topology;
}

function layer(t: Topology, name: string) {
  return t.config.layers.find((l) => l.name === name)!;
}

/** A nested Sequential in a functional model called twice, and a shared layer: links tfjs writes itself. */
function nested(): tf.LayersModel {
  const block = tf.sequential({ name: 'block', layers: [tf.layers.dense({ units: 3, inputShape: [3], name: 'inner' })] });
  const x = tf.input({ shape: [3] });
  const tower = tf.model({ inputs: x, outputs: tf.layers.add({ name: 'sum' }).apply([x, block.apply(x) as tf.SymbolicTensor]) as tf.SymbolicTensor, name: 'tower' });
  const input = tf.input({ shape: [3], name: 'pixels' });
  const shared = tf.layers.dense({ units: 3, name: 'shared' });
  const y = shared.apply(tower.apply(shared.apply(tower.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y, name: 'outer' });
}

describe('layers importer: topology check', () => {
  before(() => initBackend());

  it('accepts the links tfjs writes: chains, a nested Sequential, a model called twice, a shared layer', async () => {
    expect(layersTopologyProblems(chain())).to.deep.equal([]);
    const topology = nested().toJSON(null, false);
    expect(layersTopologyProblems(topology)).to.deep.equal([]);
    const loaded = await tf.models.modelFromJSON({ modelTopology: topology } as never);
    expect(loaded.layers.map((l) => l.name)).to.include.members(['tower', 'shared']);
    const example = JSON.parse(await fs.readFile(EXAMPLE, 'utf8')) as { modelTopology: unknown };
    expect(layersTopologyProblems(example.modelTopology)).to.deep.equal([]);
  });

  it('names a layer whose input layer does not exist', () => {
    const t = chain();
    layer(t, 'b').inbound_nodes = [[['a9', 0, 0, {}]]];
    expect(layersTopologyProblems(t)).to.deep.equal(['layer "b" takes input from layer "a9", which does not exist']);
  });

  it('names a layer that is its own input', () => {
    const t = chain();
    layer(t, 'b').inbound_nodes = [[['b', 0, 0, {}]]];
    expect(layersTopologyProblems(t)).to.deep.equal(['layer "b" takes its own output as input']);
  });

  it('names two layers that feed each other', () => {
    const t = chain();
    layer(t, 'a').inbound_nodes = [[['b', 0, 0, {}]]];
    expect(layersTopologyProblems(t)).to.deep.equal(['layers "a" → "b" → "a" feed each other in a cycle']);
  });

  it('names a layer name used twice', () => {
    const t = chain();
    layer(t, 'c').name = 'b';
    expect(layersTopologyProblems(t)).to.include('layer name "b" is used by 2 layers');
  });

  it('names node and tensor indices past the end, and model outputs that do not resolve', () => {
    const t = chain();
    layer(t, 'b').inbound_nodes = [[['a', 1, 0, {}]]];
    layer(t, 'a').inbound_nodes = [[['image', 0, 2, {}]]];
    t.config.output_layers = [['d', 0, 0]];
    expect(layersTopologyProblems(t)).to.deep.equal([
      'layer "a" takes input from output 2 of layer "image", which has 1 output(s)',
      'layer "b" takes input from node 1 of layer "a", which has 1 node(s)',
      'model output 0 names layer "d", which does not exist',
    ]);
  });

  it('checks the models nested in a model, named by their path', () => {
    const t = nested().toJSON(null, false) as unknown as { config: { layers: { name: string; config: Topology['config'] }[] } };
    const tower = t.config.layers.find((l) => l.name === 'tower')!;
    tower.config.layers.find((l) => l.name === 'sum')!.inbound_nodes = [[['sum', 0, 0, {}]]];
    expect(layersTopologyProblems(t)).to.deep.equal(['layer "tower/sum" takes its own output as input']);
  });

  it('refuses calls of a shared layer listed in an order tfjs cannot build', () => {
    // No cycle between calls, but tfjs numbers a layer's nodes in the order its calls succeed:
    // a's second call succeeds first and becomes node 0, so b's wait for node 1 never ends.
    const t = chain();
    layer(t, 'a').inbound_nodes = [[['b', 0, 0, {}]], [['image', 0, 0, {}]]];
    layer(t, 'b').inbound_nodes = [[['a', 1, 0, {}]]];
    expect(layersTopologyProblems(t)).to.deep.equal([
      'layer "a" waits for node 0 of layer "b", which tfjs never builds in this layer order',
      'layer "b" waits for node 1 of layer "a", which tfjs never builds in this layer order',
      'layer "c" waits for node 0 of layer "b", which tfjs never builds in this layer order',
    ]);
  });

  it('reports every problem at once in one GraphError naming the file', () => {
    const t = chain();
    layer(t, 'b').inbound_nodes = [[['a9', 0, 0, {}]]];
    layer(t, 'c').name = 'a';
    expect(() => assertLayersTopology(t, 'm/model.json')).to.throw(GraphError,
      /^file "m\/model\.json": the layers model's topology is broken, 3 problem\(s\): layer name "a" is used by 2 layers; layer "b" takes input from layer "a9", which does not exist; model output 0 names layer "c", which does not exist$/);
  });

  it('refuses a model.json whose layer reads a missing layer at once, before tfjs loops on it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'topology-'));
    try {
      const text = await fs.readFile(EXAMPLE, 'utf8');
      expect(text).to.contain('[[["conv3",0,0,{}]]]');
      await fs.writeFile(path.join(dir, 'model.json'), text.replace('[[["conv3",0,0,{}]]]', '[[["conv9",0,0,{}]]]'));
      await fs.copyFile(path.join(path.dirname(EXAMPLE), 'weights.bin'), path.join(dir, 'weights.bin'));
      const files = await readTfjsModelFiles(path.join(dir, 'model.json'));
      const t0 = performance.now();
      const error = await importLayersModelFile(files).then(() => undefined, (e: unknown) => e);
      expect(performance.now() - t0).to.be.below(1000);
      expect(error).to.be.instanceOf(ModelLoadError);
      expect((error as ModelLoadError).message).to.match(/file ".*model\.json": .*takes input from layer "conv9", which does not exist/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
