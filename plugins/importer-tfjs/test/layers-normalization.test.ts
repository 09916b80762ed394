import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { fromTfTensor, initBackend } from '@modelport/core';
import { expectClose, expectSameAsPredict, opsOf, randomizeWeights, runConverted } from './layers-harness.js';

describe('layers importer: normalization', () => {
  before(() => initBackend());

  it('folds BatchNormalization (axis -1) after a convolution into Mul + AddV2 with per-channel constants', async () => {
    const model = tf.sequential({ layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [6, 6, 2], useBias: false }),
      tf.layers.batchNormalization({ epsilon: 1e-3 }),
      tf.layers.reLU(),
    ] });
    randomizeWeights(model);
    const graph = await expectSameAsPredict(model);
    expect(opsOf(graph)).to.deep.equal(['Conv2D', 'Mul', 'AddV2', 'Relu']);
    const mul = graph.nodes.find((n) => n.op === 'Mul')!;
    expect(graph.constants.get(mul.inputs[1]!.replace(/:0$/, ''))!.shape).to.deep.equal([4]);
  });

  it('folds BatchNormalization without scale or center, on a rank-2 input', async () => {
    const model = tf.sequential({ layers: [
      tf.layers.dense({ units: 5, inputShape: [3] }),
      tf.layers.batchNormalization({ scale: false, center: false }),
    ] });
    randomizeWeights(model);
    await expectSameAsPredict(model);
  });

  it('normalises along axis 1 of NCHW as Keras does (tfjs\'s own kernels broadcast per last axis there)', async () => {
    const input = tf.input({ shape: [3, 4, 5] });
    const model = tf.model({ inputs: input, outputs: tf.layers.batchNormalization({ axis: 1 }).apply(input) as tf.SymbolicTensor });
    randomizeWeights(model);
    const x = tf.randomUniform([2, 3, 4, 5], -1, 1, 'float32', 11);
    const [y] = await runConverted(model, [await fromTfTensor(x)]);
    const [gamma, beta, mean, variance] = model.getWeights().map((w) => w.reshape([3, 1, 1]));
    const reference = tf.tidy(() => x.sub(mean!).div(variance!.add(1e-3).sqrt()).mul(gamma!).add(beta!));
    await expectClose(y!, reference, 'batch norm axis 1');
    tf.dispose([x, reference, gamma!, beta!, mean!, variance!]);
  });

  it('converts LayerNormalization over the last axis and over the last two', async () => {
    for (const axis of [-1, [1, 2]]) {
      const input = tf.input({ shape: [3, 4] });
      const model = tf.model({ inputs: input, outputs: tf.layers.layerNormalization({ axis }).apply(input) as tf.SymbolicTensor });
      randomizeWeights(model);
      await expectSameAsPredict(model);
    }
  });
});
