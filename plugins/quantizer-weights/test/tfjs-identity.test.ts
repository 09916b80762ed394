import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  createContainer, createHooks, graphToTfjsGraphModel, quantizeWeightsFilter, validateOptions,
  type ConstantTensor, type Graph, type TfjsModelJson, type WeightQuantization,
} from '@modelport/core';
import { exporterTfjs, optionsSchema as tfjsSchema } from '@modelport/exporter-tfjs';
import { quantizerWeights } from '../src/index.js';
import { exportContext, smallNet, tempDir, wave } from './graphs.js';

/**
 * smallNet plus a weight large enough for many rounding cases and several shards, and one whose
 * uint8 scale is 2^-7 with values on half levels below zero, where tfjs's round((v − min) / scale)
 * and rounding half away from zero part.
 */
function netWithLargeWeight(): Graph {
  const g = smallNet();
  const big: ConstantTensor = { dtype: 'float32', shape: [50, 200], values: Float32Array.from(wave(10_000, 3, -0.7)) };
  const ties: ConstantTensor = { dtype: 'float32', shape: [5], values: Float32Array.from([-1, 0.9921875, -0.5 / 128, -1.5 / 128, 1.5 / 128]) };
  const consts = (...names: string[]) => names.map((name) => ({ name, op: 'Const', inputs: [], attrs: {} }));
  return {
    ...g,
    nodes: [...g.nodes, ...consts('big', 'ties')],
    outputs: [...g.outputs, 'big:0', 'ties:0'],
    constants: new Map(g.constants).set('big', big).set('ties', ties),
  };
}

/** What the tfjs exporter wrote before quantizers annotated graphs: core's encoder, asked per weight. */
function formerTfjsWeights(graph: Graph, mode: 'float16' | 'uint8' | 'uint16', patterns?: string[]) {
  const selected = quantizeWeightsFilter(patterns);
  const policy = (name: string, value: ConstantTensor): WeightQuantization => (value.dtype === 'float32' && selected(name) ? mode : undefined);
  return graphToTfjsGraphModel(graph, { weightQuantization: policy }).weights;
}

async function exportThroughPlugins(graph: Graph, options: Parameters<typeof exportContext>[0]) {
  const hooks = createHooks();
  await quantizerWeights.apply(hooks, {}, createContainer());
  exporterTfjs.apply(hooks, validateOptions(tfjsSchema, { shardSizeBytes: 4096 }, 'options'), undefined as never);
  const ctx = exportContext(options);
  const quantized = await hooks.quantize.promise(graph, ctx);
  const dir = await tempDir('quantizer-weights');
  await hooks.writeArtifact.for('tfjs').promise(quantized, { export: ctx, target: 'tfjs', dir });
  const json = JSON.parse(await fs.readFile(path.join(dir, 'tfjs', 'model.json'), 'utf8')) as TfjsModelJson;
  const shards = await Promise.all(json.weightsManifest[0]!.paths.map((p) => fs.readFile(path.join(dir, 'tfjs', p))));
  await fs.rm(dir, { recursive: true });
  return { json, bytes: Buffer.concat(shards), notes: ctx.notes };
}

describe('quantizer-weights + exporter-tfjs: the same weight files as the tfjs exporter wrote on its own', () => {
  for (const mode of ['float16', 'uint8', 'uint16'] as const) {
    it(`--quantize ${mode}: byte-identical shards and the same manifest`, async () => {
      const graph = netWithLargeWeight();
      const former = formerTfjsWeights(graph, mode);
      const { json, bytes, notes } = await exportThroughPlugins(graph, { quantize: mode });
      expect(json.weightsManifest[0]!.weights).to.deep.equal(former.map((w) => w.spec));
      expect(json.weightsManifest[0]!.paths.length).to.be.greaterThan(1);
      expect(bytes.equals(Buffer.concat(former.map((w) => w.bytes)))).to.equal(true);
      expect(former.filter((w) => w.spec.quantization).length).to.equal(7);
      expect(notes).to.include(`tfjs: 7 weight(s) stored as ${mode}`);
    });
  }

  it('--quantize uint8 --quantize-weights: byte-identical too', async () => {
    const graph = netWithLargeWeight();
    const former = formerTfjsWeights(graph, 'uint8', ['big', 'conv/*']);
    const { json, bytes } = await exportThroughPlugins(graph, { quantize: 'uint8', quantizeWeights: ['big', 'conv/*'] });
    expect(json.weightsManifest[0]!.weights).to.deep.equal(former.map((w) => w.spec));
    expect(json.weightsManifest[0]!.weights.filter((w) => w.quantization).map((w) => w.name)).to.deep.equal(['conv/filter', 'conv/bias/value', 'big']);
    expect(bytes.equals(Buffer.concat(former.map((w) => w.bytes)))).to.equal(true);
  });
});
