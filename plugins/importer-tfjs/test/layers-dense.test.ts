import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { expectSameAsPredict, idsInput, opsOf, randomizeWeights } from './layers-harness.js';

describe('layers importer: Dense, Embedding, Rescaling', () => {
  before(() => initBackend());

  it('converts Dense to MatMul + BiasAdd + activation, with and without bias', async () => {
    const model = tf.sequential({ layers: [
      tf.layers.dense({ units: 6, inputShape: [5], activation: 'relu' }),
      tf.layers.dense({ units: 4, useBias: false, activation: 'softmax' }),
    ] });
    randomizeWeights(model);
    const graph = await expectSameAsPredict(model);
    expect(opsOf(graph)).to.deep.equal(['MatMul', 'BiasAdd', 'Relu', 'MatMul', 'Softmax']);
  });

  it('applies Dense to the last axis of a rank-3 input, known or unknown in length', async () => {
    for (const inputShape of [[3, 5], [null, 5]]) {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape, activation: 'tanh' })] });
      randomizeWeights(model);
      await expectSameAsPredict(model, { fill: 3 });
    }
  });

  it('looks up Embedding rows for float and int32 ids', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const input = tf.input({ shape: [4], dtype });
      const output = tf.layers.embedding({ inputDim: 10, outputDim: 3 }).apply(input) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: output });
      randomizeWeights(model);
      await expectSameAsPredict(model, { makeInput: idsInput(10, dtype) });
    }
  });

  it('converts Rescaling to Mul + AddV2', async () => {
    const model = tf.sequential({ layers: [tf.layers.rescaling({ scale: 1 / 127.5, offset: -1, inputShape: [4] })] });
    const graph = await expectSameAsPredict(model);
    expect(opsOf(graph)).to.deep.equal(['Mul', 'AddV2']);
  });
});
