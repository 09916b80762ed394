import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { expectSameAsPredict, opsOf } from './layers-harness.js';

function apply(shape: number[], layers: tf.layers.Layer[]): tf.LayersModel {
  const input = tf.input({ shape });
  return tf.model({ inputs: input, outputs: layers.map((l) => l.apply(input) as tf.SymbolicTensor) });
}

describe('layers importer: pooling', () => {
  before(() => initBackend());

  it('converts Max/AveragePooling2D with default and explicit strides, VALID and SAME on odd sizes', async () => {
    const graph = await expectSameAsPredict(apply([7, 9, 3], [
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      tf.layers.averagePooling2d({ poolSize: [3, 2], strides: [1, 2] }),
      tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    ]));
    expect(opsOf(graph)).to.deep.equal(['MaxPool', 'MaxPool', 'AvgPool', 'AvgPool']);
    expect(graph.nodes.find((n) => n.op === 'MaxPool')!.attrs.ksize).to.deep.equal({ list: { i: [1, 2, 2, 1] } });
  });

  it('converts 1-D pooling on [batch, steps, 1, channels]', async () => {
    await expectSameAsPredict(apply([9, 4], [
      tf.layers.maxPooling1d({ poolSize: 2 }), tf.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
    ]));
  });

  it('converts global pooling to Mean/Max over the spatial axes', async () => {
    const graph = await expectSameAsPredict(apply([5, 6, 3], [tf.layers.globalAveragePooling2d({}), tf.layers.globalMaxPooling2d({})]));
    expect(opsOf(graph)).to.deep.equal(['Mean', 'Max']);
    expect(graph.nodes.find((n) => n.op === 'Mean')!.attrs.keep_dims).to.deep.equal({ b: false });
    await expectSameAsPredict(apply([7, 3], [tf.layers.globalAveragePooling1d(), tf.layers.globalMaxPooling1d()]));
  });
});
