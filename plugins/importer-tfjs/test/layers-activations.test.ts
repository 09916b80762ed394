import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { fromTfTensor, initBackend } from '@modelport/core';
import { expectClose, expectSameAsPredict, opsOf, randomizeWeights, runConverted } from './layers-harness.js';

const ACTIVATIONS = ['elu', 'selu', 'relu', 'relu6', 'linear', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign', 'tanh', 'softmax', 'logSoftmax', 'swish', 'mish', 'gelu', 'gelu_new'];

describe('layers importer: activations', () => {
  before(() => initBackend());

  it('converts every tfjs activation, as Activation layers and inside Dense', async () => {
    const input = tf.input({ shape: [6] });
    const outputs = ACTIVATIONS.map((activation) => {
      const viaLayer = tf.layers.activation({ activation: activation as never }).apply(input) as tf.SymbolicTensor;
      // x·3 reaches the saturated parts of sigmoid-like functions too.
      return tf.layers.dense({ units: 4, activation: activation as never }).apply(tf.layers.concatenate().apply([viaLayer, input]) as tf.SymbolicTensor) as tf.SymbolicTensor;
    });
    const model = tf.model({ inputs: input, outputs });
    randomizeWeights(model);
    await expectSameAsPredict(model, { makeInput: (_i, shape, random) => ({ dtype: 'float32', shape, data: Float32Array.from({ length: shape[0]! * shape[1]! }, () => random() * 8 - 4) }) });
  });

  it('converts ReLU with and without max_value (6 becomes Relu6)', async () => {
    const input = tf.input({ shape: [5] });
    const outputs = [undefined, 6, 0.5].map((maxValue) => tf.layers.reLU(maxValue === undefined ? {} : { maxValue }).apply(input) as tf.SymbolicTensor);
    const graph = await expectSameAsPredict(tf.model({ inputs: input, outputs }));
    expect(opsOf(graph)).to.deep.equal(['Relu', 'Relu6', 'Relu', 'Minimum']);
  });

  it('converts LeakyReLU, ELU and ThresholdedReLU', async () => {
    const input = tf.input({ shape: [3, 4] });
    const outputs = [
      tf.layers.leakyReLU({ alpha: 0.15 }), tf.layers.leakyReLU(), tf.layers.elu(), tf.layers.thresholdedReLU({ theta: 0.2 }),
    ].map((l) => l.apply(input) as tf.SymbolicTensor);
    const graph = await expectSameAsPredict(tf.model({ inputs: input, outputs }));
    const alphas = graph.nodes.filter((n) => n.op === 'LeakyRelu').map((n) => (n.attrs.alpha as { f: number }).f);
    expect(alphas).to.deep.equal([0.15, 0.3]);
  });

  it('converts PReLU with per-element slopes and with slopes shared across height and width', async () => {
    const input = tf.input({ shape: [4, 4, 3] });
    const outputs = [tf.layers.prelu(), tf.layers.prelu({ sharedAxes: [1, 2] })].map((l) => l.apply(input) as tf.SymbolicTensor);
    const model = tf.model({ inputs: input, outputs });
    randomizeWeights(model);
    const graph = await expectSameAsPredict(model);
    expect(graph.constants.get(graph.nodes.filter((n) => n.op === 'Prelu')[1]!.inputs[1]!.replace(/:0$/, ''))!.shape).to.deep.equal([1, 1, 3]);
  });

  it('converts the Softmax layer on the last axis (tfjs defaults to axis 1)', async () => {
    const flat = tf.input({ shape: [5] });
    const seq = tf.input({ shape: [3, 4] });
    const outputs = [tf.layers.softmax().apply(flat), tf.layers.softmax({ axis: -1 }).apply(seq)] as tf.SymbolicTensor[];
    const graph = await expectSameAsPredict(tf.model({ inputs: [flat, seq], outputs }));
    expect(opsOf(graph)).to.deep.equal(['Softmax', 'Softmax']);
  });

  it('converts a Softmax on an inner axis, which tfjs cannot run, by transposing that axis last and back', async () => {
    const seq = tf.input({ shape: [3, 4] });
    const model = tf.model({ inputs: seq, outputs: tf.layers.softmax({ axis: 1 }).apply(seq) as tf.SymbolicTensor });
    const x = tf.randomUniform([2, 3, 4], -2, 2, 'float32', 3);
    const [y] = await runConverted(model, [await fromTfTensor(x)]);
    await expectClose(y!, tf.tidy(() => tf.softmax(x.transpose([0, 2, 1])).transpose([0, 2, 1])), 'softmax axis 1');
    tf.dispose(x);
  });
});
