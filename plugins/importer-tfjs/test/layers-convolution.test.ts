import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { fromTfTensor, initBackend, type Node } from '@modelport/core';
import { expectClose, expectSameAsPredict, opsOf, randomizeWeights, runConverted } from './layers-harness.js';

function single(layer: tf.layers.Layer, shape: number[]): tf.LayersModel {
  const input = tf.input({ shape });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  randomizeWeights(model);
  return model;
}

const ints = (node: Node, name: string) => (node.attrs[name] as { list: { i: number[] } }).list.i;

describe('layers importer: convolutions', () => {
  before(() => initBackend());

  it('converts Conv2D with strides, SAME padding on odd sizes, dilation, and no bias', async () => {
    const cases: tf.layers.Layer[] = [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: [2, 1], padding: 'valid' }),
      tf.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false, activation: 'relu6' }),
    ];
    for (const layer of cases) await expectSameAsPredict(single(layer, [7, 9, 3]));
    const graph = await expectSameAsPredict(single(tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }), [7, 7, 2]));
    const conv = graph.nodes.find((n) => n.op === 'Conv2D')!;
    expect(ints(conv, 'strides')).to.deep.equal([1, 2, 2, 1]);
    expect(ints(conv, 'dilations')).to.deep.equal([1, 1, 1, 1]);
    expect(conv.attrs.padding).to.deep.equal({ s: 'SAME' });
    expect(conv.attrs.data_format).to.deep.equal({ s: 'NHWC' });
  });

  it('converts DepthwiseConv2D with a depth multiplier, and SeparableConv2D as depthwise + 1×1 Conv2D', async () => {
    await expectSameAsPredict(single(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' }), [7, 7, 3]));
    const graph = await expectSameAsPredict(single(tf.layers.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, dilationRate: 2, padding: 'same', activation: 'relu' }), [8, 8, 3]));
    expect(opsOf(graph)).to.deep.equal(['DepthwiseConv2dNative', 'Conv2D', 'BiasAdd', 'Relu']);
  });

  it('refuses a dilated DepthwiseConv2D, which tfjs runs without its dilation', () => {
    const model = single(tf.layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 2 }), [9, 9, 2]);
    return expectSameAsPredict(model).then(() => expect.fail('converted'), (e: Error) => expect(e.message).to.match(/dilation_rate ≠ 1, which tfjs ignores/));
  });

  it('converts Conv1D as ExpandDims + 1×k Conv2D + Squeeze', async () => {
    for (const args of [{ padding: 'same', strides: 2 }, { padding: 'valid', dilationRate: 2 }] as const) {
      const graph = await expectSameAsPredict(single(tf.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'elu', ...args }), [9, 3]));
      expect(opsOf(graph)).to.deep.equal(['ExpandDims', 'Conv2D', 'Squeeze', 'BiasAdd', 'Elu']);
    }
  });

  it('converts causal Conv1D (which tfjs cannot run) as a left Pad and a valid convolution', async () => {
    const causal = single(tf.layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal' }), [8, 3]);
    const x = tf.randomUniform([2, 8, 3], -1, 1, 'float32', 5);
    const [y] = await runConverted(causal, [await fromTfTensor(x)]);
    const [kernel, bias] = causal.getWeights();
    const reference = tf.tidy(() => tf.conv1d(tf.pad(x, [[0, 0], [4, 0], [0, 0]]) as tf.Tensor3D, kernel as tf.Tensor3D, 1, 'valid', 'NWC', 2).add(bias!));
    await expectClose(y!, reference, 'causal conv1d');
    tf.dispose([x, reference]);
  });

  it('converts Conv2DTranspose to Conv2DBackpropInput with the batch read at run time', async () => {
    for (const args of [{ strides: 2, padding: 'same' }, { strides: 2, padding: 'valid' }, { strides: 1, padding: 'valid' }] as const) {
      const graph = await expectSameAsPredict(single(tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, activation: 'relu', ...args }), [5, 5, 2]), { batch: 3 });
      expect(opsOf(graph)).to.include('Conv2DBackpropInput');
    }
  });

  it('wraps channels-first convolutions and pooling in Transposes to NHWC and back', async () => {
    const input = tf.input({ shape: [3, 6, 6] });
    let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' }).apply(x) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ dataFormat: 'channelsFirst' }).apply(x) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: [flat, pooled] });
    randomizeWeights(model);
    await expectSameAsPredict(model);
  });
});
