import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { decodeTfjsWeights, encodeTfjsWeight, initBackend } from '@modelport/core';
import { graphFromLayersModel } from '../src/layers/index.js';
import { expectSameAsPredict, opsOf, randomizeWeights } from './layers-harness.js';

const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

/** A small CNN with a residual connection, pooling and a dense head. */
function smallCnn(): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 3], name: 'image' });
  const stem = apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }), input);
  let y = apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }), stem);
  y = apply(tf.layers.batchNormalization(), y);
  y = apply(tf.layers.reLU(), apply(tf.layers.add(), [stem, y]));
  y = apply(tf.layers.maxPooling2d({ poolSize: 2 }), y);
  y = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), y);
  y = apply(tf.layers.flatten(), y);
  y = apply(tf.layers.dropout({ rate: 0.3 }), y);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 5, activation: 'softmax' }), y), name: 'small_cnn' });
}

/** MobileNet-v1/v2-like: conv-BN-ReLU6 stem, depthwise/pointwise blocks, an inverted residual, GAP head. */
function mobileNetLike(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3], name: 'pixels' });
  const convBn = (x: tf.SymbolicTensor, layer: tf.layers.Layer) => apply(tf.layers.reLU({ maxValue: 6 }), apply(tf.layers.batchNormalization(), apply(layer, x)));
  let x = apply(tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }), input);
  x = convBn(x, tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, useBias: false }));
  for (const [filters, strides] of [[8, 1], [12, 2]] as const) {
    x = convBn(x, tf.layers.depthwiseConv2d({ kernelSize: 3, strides, padding: 'same', useBias: false }));
    x = convBn(x, tf.layers.conv2d({ filters, kernelSize: 1, useBias: false }));
  }
  // Inverted residual: expand, depthwise, project, add.
  let r = convBn(x, tf.layers.conv2d({ filters: 24, kernelSize: 1, useBias: false }));
  r = convBn(r, tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }));
  r = apply(tf.layers.batchNormalization(), apply(tf.layers.conv2d({ filters: 12, kernelSize: 1, useBias: false }), r));
  x = apply(tf.layers.add(), [x, r]);
  x = apply(tf.layers.globalAveragePooling2d({}), x);
  x = apply(tf.layers.reshape({ targetShape: [1, 1, 12] }), x);
  x = apply(tf.layers.conv2d({ filters: 4, kernelSize: 1 }), x);
  x = apply(tf.layers.flatten(), x);
  return tf.model({ inputs: input, outputs: apply(tf.layers.activation({ activation: 'softmax' }), x), name: 'mobilenet_like' });
}

/** Two inputs, two outputs, an UpSampling2D decoder and a shared layer. */
function multiTask(): tf.LayersModel {
  const image = tf.input({ shape: [8, 8, 2], name: 'image' });
  const tokens = tf.input({ shape: [5], name: 'tokens' });
  const encoded = apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }), image);
  const mask = apply(tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', name: 'mask' }), apply(tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }), encoded));
  const text = apply(tf.layers.globalAveragePooling1d(), apply(tf.layers.embedding({ inputDim: 20, outputDim: 4 }), tokens));
  const shared = tf.layers.dense({ units: 4, activation: 'tanh' });
  const joined = apply(tf.layers.concatenate(), [apply(shared, apply(tf.layers.globalMaxPooling2d({}), encoded)), apply(shared, text)]);
  const label = apply(tf.layers.dense({ units: 3, activation: 'softmax', name: 'label' }), joined);
  return tf.model({ inputs: [image, tokens], outputs: [label, mask], name: 'multi_task' });
}

describe('layers importer: whole models', () => {
  before(() => initBackend());

  it('converts a small CNN with a skip connection', async () => {
    const model = smallCnn();
    randomizeWeights(model, 2);
    await expectSameAsPredict(model);
  });

  it('converts a MobileNet-like stack of depthwise blocks with BatchNormalization and ReLU6', async () => {
    const model = mobileNetLike();
    randomizeWeights(model, 3);
    const graph = await expectSameAsPredict(model);
    expect(opsOf(graph).filter((op) => op === 'DepthwiseConv2dNative')).to.have.length(3);
    expect(opsOf(graph)).to.not.include('FusedBatchNormV3');
  });

  it('converts a multi-input, multi-output model with an embedding, a decoder and a shared layer', async () => {
    const model = multiTask();
    randomizeWeights(model, 4);
    const graph = await expectSameAsPredict(model, {
      makeInput: (i, shape, random) => {
        const size = shape.reduce((a, b) => a * b, 1);
        return { dtype: 'float32', shape, data: Float32Array.from({ length: size }, () => (i === 1 ? Math.floor(random() * 20) : random() * 2 - 1)) };
      },
    });
    expect(Object.keys(graph.signatures.serving_default!.outputs)).to.deep.equal(['label', 'mask']);
  });

  it('converts the bundled Keras-format example, examples/tiny-cnn, loaded by tf.loadLayersModel', async () => {
    const dir = new URL('../../../../examples/tiny-cnn/', import.meta.url);
    const json = JSON.parse(await readFile(new URL('model.json', dir), 'utf8'));
    const weights = await readFile(new URL('weights.bin', dir));
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }));
    await expectSameAsPredict(model);
    const graph = graphFromLayersModel(model, { kerasVersion: json.modelTopology.keras_version, backend: json.modelTopology.backend });
    expect(graph.inputs).to.deep.equal(['image']);
    expect(graph.metadata.source).to.deep.equal({ format: 'tfjs-layers-model', className: 'Model', kerasVersion: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' });
    model.dispose();
  });

  it('matches a model loaded with uint8-quantized weights (dequantized by tfjs\'s loader)', async () => {
    const source = smallCnn();
    randomizeWeights(source, 5);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await source.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const specs = artifacts!.weightSpecs!;
    const bytes = new Uint8Array(artifacts!.weightData as ArrayBuffer);
    const decoded = decodeTfjsWeights(specs as never, bytes, 'memory');
    const encoded = specs.map((s) => encodeTfjsWeight(s.name, decoded.get(s.name)!, 'uint8'));
    expect(encoded.every((e) => e.spec.quantization?.dtype === 'uint8')).to.equal(true);
    const data = new Uint8Array(encoded.reduce((n, e) => n + e.bytes.byteLength, 0));
    encoded.reduce((offset, e) => { data.set(e.bytes, offset); return offset + e.bytes.byteLength; }, 0);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: artifacts!.modelTopology, weightSpecs: encoded.map((e) => e.spec) as tf.io.WeightsManifestEntry[], weightData: data.buffer,
    }));
    // The quantization is real: the loaded weights differ from the source's.
    const [original, dequantized] = [source.getWeights()[0]!, loaded.getWeights()[0]!];
    expect(tf.max(tf.abs(tf.sub(original, dequantized))).dataSync()[0]).to.be.greaterThan(0);
    await expectSameAsPredict(loaded);
    loaded.dispose();
  });
});
