import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { expectSameAsPredict, opsOf } from './layers-harness.js';

/** Keras's Subtract, which tfjs does not ship: an app that needs it registers one like this. */
class Subtract extends tf.layers.Layer {
  static className = 'Subtract';
  override computeOutputShape(shapes: tf.Shape[]): tf.Shape { return shapes[0]!; }
  override call(inputs: tf.Tensor[]): tf.Tensor { return tf.sub(inputs[0]!, inputs[1]!); }
}
tf.serialization.registerClass(Subtract);

describe('layers importer: merge layers', () => {
  before(() => initBackend());

  it('converts Add, Multiply, Average, Maximum and Minimum over three inputs', async () => {
    const inputs = [0, 1, 2].map(() => tf.input({ shape: [3, 4] }));
    const outputs = [tf.layers.add(), tf.layers.multiply(), tf.layers.average(), tf.layers.maximum(), tf.layers.minimum()]
      .map((l) => l.apply(inputs) as tf.SymbolicTensor);
    const graph = await expectSameAsPredict(tf.model({ inputs, outputs }));
    expect(opsOf(graph)).to.deep.equal(['AddV2', 'AddV2', 'Mul', 'Mul', 'AddV2', 'AddV2', 'Mul', 'Maximum', 'Maximum', 'Minimum', 'Minimum']);
  });

  it('broadcasts inputs of lower rank as tfjs does (axes inserted at 1)', async () => {
    const image = tf.input({ shape: [4, 4, 3] });
    const vector = tf.input({ shape: [3] });
    const output = tf.layers.add().apply([image, vector]) as tf.SymbolicTensor;
    await expectSameAsPredict(tf.model({ inputs: [image, vector], outputs: output }));
  });

  it('converts Concatenate on the last and on an inner axis to ConcatV2 with a positive axis', async () => {
    const a = tf.input({ shape: [2, 3] });
    const b = tf.input({ shape: [2, 5] });
    const c = tf.input({ shape: [4, 3] });
    const outputs = [tf.layers.concatenate().apply([a, b]), tf.layers.concatenate({ axis: 1 }).apply([a, c])] as tf.SymbolicTensor[];
    const graph = await expectSameAsPredict(tf.model({ inputs: [a, b, c], outputs }));
    const axes = graph.nodes.filter((n) => n.op === 'ConcatV2').map((n) => graph.constants.get(n.inputs[n.inputs.length - 1]!.replace(/:0$/, ''))!.values[0]);
    expect(axes).to.deep.equal([2, 1]);
  });

  it('converts a registered Subtract layer to Sub', async () => {
    const a = tf.input({ shape: [4] });
    const b = tf.input({ shape: [4] });
    const graph = await expectSameAsPredict(tf.model({ inputs: [a, b], outputs: new Subtract({}).apply([a, b]) as tf.SymbolicTensor }));
    expect(opsOf(graph)).to.deep.equal(['Sub']);
  });
});
