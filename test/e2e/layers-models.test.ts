import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  compareTensors, coreServices, createContainer, decodeTfjsWeights, encodeTfjsWeight, fromTfTensor, initBackend, seededRandom, randomTensor, toTfTensor,
  type TensorData,
} from '@modelport/core';
import { Registry } from '@modelport/registry';
import { runCli } from '../support/cli.js';
import { scratchDir } from '../support/fixtures.js';
import { loadGraphModelFile } from '../support/tfjs-models.js';

const TOLERANCE = 1e-5;

/** A functional model with every layer family the importer promises, seeded. */
function buildModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const image = tf.input({ shape: [16, 16, 3], name: 'image' });
  const extra = tf.input({ shape: [4], name: 'extra' });
  let x = tf.layers.zeroPadding2d({ padding: 1, name: 'pad' }).apply(image) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, kernelInitializer: init(1), name: 'conv' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6, name: 'relu6' }).apply(x) as tf.SymbolicTensor;
  const a = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, depthwiseInitializer: init(2), name: 'dw' }).apply(x) as tf.SymbolicTensor;
  const b = tf.layers.separableConv2d({ filters: 12, kernelSize: 3, padding: 'same', depthwiseInitializer: init(3), pointwiseInitializer: init(4), name: 'sep' }).apply(x) as tf.SymbolicTensor;
  let y = tf.layers.add({ name: 'add' }).apply([a, b]) as tf.SymbolicTensor;
  y = tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), name: 'prelu' }).apply(y) as tf.SymbolicTensor;
  const up = tf.layers.upSampling2d({ size: [2, 2], name: 'up' }).apply(y) as tf.SymbolicTensor;
  const pooled = tf.layers.averagePooling2d({ poolSize: 2, name: 'avg' }).apply(up) as tf.SymbolicTensor;
  const mixed = tf.layers.concatenate({ name: 'concat' }).apply([pooled, tf.layers.maxPooling2d({ poolSize: 1, name: 'max' }).apply(y) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(mixed) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'flat' }).apply(tf.layers.reshape({ targetShape: [24, 1], name: 'reshape' }).apply(gap) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 4, kernelInitializer: init(5), name: 'dense' }).apply(flat) as tf.SymbolicTensor;
  const gated = tf.layers.multiply({ name: 'gate' }).apply([tf.layers.leakyReLU({ alpha: 0.2, name: 'lrelu' }).apply(dense) as tf.SymbolicTensor, extra]) as tf.SymbolicTensor;
  const dropped = tf.layers.dropout({ rate: 0.5, name: 'drop' }).apply(gated) as tf.SymbolicTensor;
  const scores = tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(6), name: 'scores' }).apply(dropped) as tf.SymbolicTensor;
  const embedding = tf.layers.activation({ activation: 'sigmoid', name: 'embedding' }).apply(gap) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [image, extra], outputs: [scores, embedding], name: 'every_layer' });
  const bn = model.getLayer('bn');
  bn.setWeights(bn.getWeights().map((w, i) => tf.randomUniform(w.shape, i === 3 ? 0.5 : -0.5, 1, 'float32', 10 + i)));
  return model;
}

/** Saves a layers model.json + weights.bin, optionally with every float weight stored as uint8. */
async function saveLayersModel(model: tf.LayersModel, dir: string, quantize: 'uint8' | undefined): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const specs = artifacts.weightSpecs!;
    const bytes = new Uint8Array(artifacts.weightData as ArrayBuffer);
    const decoded = decodeTfjsWeights(specs as never, bytes, 'memory');
    const encoded = specs.map((s) => encodeTfjsWeight(s.name, decoded.get(s.name)!, quantize));
    await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.concat(encoded.map((e) => e.bytes)));
    await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model', generatedBy: 'test', convertedBy: null, modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: encoded.map((e) => e.spec) }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return path.join(dir, 'model.json');
}

async function predict(model: tf.LayersModel, inputs: Record<string, TensorData>): Promise<TensorData[]> {
  const out = model.predict(model.inputNames.map((n) => toTfTensor(inputs[n]!))) as tf.Tensor[];
  return Promise.all(out.map(fromTfTensor));
}

describe('layers models through the importer, exporter and tfjs', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => { await initBackend(); dir = await scratchDir('layers'); });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  for (const quantize of [undefined, 'uint8'] as const) {
    it(`exports a layers model.json${quantize ? ' with uint8-quantized weights' : ''} through the CLI, matching model.predict in tf.loadGraphModel`, async () => {
      const file = await saveLayersModel(buildModel(), path.join(dir, quantize ?? 'float32'), quantize);
      // The reference is the saved file as tfjs loads it (for uint8, with its dequantized weights).
      const json = JSON.parse(await fs.readFile(file, 'utf8'));
      const weightSpecs = json.weightsManifest[0].weights;
      expect(weightSpecs.filter((w: { quantization?: object }) => w.quantization).length > 0).to.equal(quantize === 'uint8');
      const weightData = new Uint8Array(await fs.readFile(path.join(path.dirname(file), 'weights.bin'))).buffer;
      const reference = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
      const r = await runCli(['export', file, '--to', 'tfjs', '--out', path.join(dir, 'out'), '--json', '--tolerance', String(TOLERANCE)]);
      expect(r.code, r.stderr).to.equal(0);
      const summary = JSON.parse(r.stdout);
      expect(summary.artifacts[0].validation.runtime).to.equal('tfjs');
      expect(summary.artifacts[0].validation.worstRelativeDiff).to.be.at.most(TOLERANCE);

      const exported = await loadGraphModelFile(path.join(summary.dir, summary.artifacts[0].path));
      const random = seededRandom(3);
      const inputs = { image: randomTensor('float32', [2, 16, 16, 3], random), extra: randomTensor('float32', [2, 4], random) };
      const want = await predict(reference, inputs);
      const got = await exported.run(inputs, ['scores/Softmax:0', 'embedding/Sigmoid:0']);
      exported.dispose();
      want.forEach((w, i) => {
        const c = compareTensors(`output ${i}`, got[i]!, w, TOLERANCE);
        expect(c.ok, c.problem).to.equal(true);
      });
    });
  }

  it('exports an in-memory tf.LayersModel, validated against its own predict', async () => {
    const container = createContainer();
    await new Registry({ cwd: dir, container }).configure({ presets: ['default'] });
    const summary = await coreServices(container).pipeline.run({
      source: { format: 'tfjs-layers-model', model: buildModel(), name: 'in_memory' },
      options: { targets: ['tfjs'], out: path.join(dir, 'out'), validate: true, tolerance: TOLERANCE },
    });
    const report = summary.artifacts[0]!.validation!;
    expect(report.ok).to.equal(true);
    expect(report.outputs.map((o) => o.output)).to.deep.equal(['scores', 'embedding']);
    expect(summary.dir.endsWith(path.join('in_memory', '1'))).to.equal(true);
  });
});
