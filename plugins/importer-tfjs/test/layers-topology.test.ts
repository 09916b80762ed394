import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend, ModelportError } from '@modelport/core';
import { graphFromLayersModel, UnsupportedLayersError } from '../src/layers/index.js';
import { expectSameAsPredict, opsOf, randomizeWeights } from './layers-harness.js';

/** A layer class tfjs does not know, standing in for Keras's Lambda (tfjs cannot load real ones). */
class Lambda extends tf.layers.Layer {
  static className = 'Lambda';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor { return tf.square(Array.isArray(inputs) ? inputs[0]! : inputs); }
}
tf.serialization.registerClass(Lambda);

describe('layers importer: model topology', () => {
  before(() => initBackend());

  it('names Placeholders after the inputs, nodes and weights after the layers, and sets signature and metadata', () => {
    const input = tf.input({ shape: [3], name: 'features' });
    const output = tf.layers.dense({ units: 2, name: 'logits', activation: 'softmax' }).apply(input) as tf.SymbolicTensor;
    const graph = graphFromLayersModel(tf.model({ inputs: input, outputs: output, name: 'classifier' }), { kerasVersion: '2.15.0', backend: 'tensorflow' });
    expect(graph.inputs).to.deep.equal(['features']);
    expect(graph.nodes.map((n) => n.name)).to.deep.equal(['features', 'logits/kernel', 'logits/MatMul', 'logits/bias', 'logits/BiasAdd', 'logits/Softmax']);
    expect(graph.nodes[0]!.attrs).to.deep.equal({ dtype: { type: 'float32' }, shape: { shape: [-1, 3] } });
    expect(graph.outputs).to.deep.equal(['logits/Softmax:0']);
    expect(graph.signatures.serving_default).to.deep.equal({
      inputs: { features: { name: 'features:0', dtype: 'float32', shape: [-1, 3] } },
      outputs: { logits: { name: 'logits/Softmax:0', dtype: 'float32', shape: [-1, 2] } },
      methodName: 'tensorflow/serving/predict',
    });
    expect(graph.metadata).to.deep.equal({ source: { format: 'tfjs-layers-model', className: 'Model', kerasVersion: '2.15.0', backend: 'tensorflow' } });
  });

  it('converts a functional model with several inputs and outputs, keyed by input layer and output names', async () => {
    const image = tf.input({ shape: [6, 6, 2], name: 'image' });
    const meta = tf.input({ shape: [3], name: 'meta' });
    const features = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }).apply(image) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate({ name: 'join' }).apply([features, meta]) as tf.SymbolicTensor;
    const score = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'score' }).apply(joined) as tf.SymbolicTensor;
    const classes = tf.layers.dense({ units: 3, activation: 'softmax', name: 'classes' }).apply(joined) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [image, meta], outputs: [score, classes] });
    randomizeWeights(model);
    const graph = await expectSameAsPredict(model);
    expect(graph.inputs).to.deep.equal(['image', 'meta']);
    expect(Object.keys(graph.signatures.serving_default!.outputs)).to.deep.equal(['score', 'classes']);
  });

  it('emits a layer used twice once per call, sharing its weights', async () => {
    const a = tf.input({ shape: [4] });
    const b = tf.input({ shape: [4] });
    const shared = tf.layers.dense({ units: 3, activation: 'relu', name: 'shared' });
    const output = tf.layers.add().apply([shared.apply(a), shared.apply(b)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: output });
    randomizeWeights(model);
    const graph = await expectSameAsPredict(model);
    expect(graph.nodes.filter((n) => n.op === 'MatMul').map((n) => [n.name, n.inputs[1]])).to.deep.equal([
      ['shared/MatMul', 'shared/kernel:0'], ['shared_1/MatMul', 'shared/kernel:0'],
    ]);
    expect(graph.nodes.filter((n) => n.op === 'Const').map((n) => n.name)).to.deep.equal(['shared/kernel', 'shared/bias']);
  });

  it('inlines a Sequential nested in a functional model, and a functional model called twice', async () => {
    const block = tf.sequential({ name: 'block', layers: [
      tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape: [5, 5, 3], activation: 'relu' }),
      tf.layers.batchNormalization(),
    ] });
    const tower = (() => {
      const x = tf.input({ shape: [5, 5, 3] });
      const y = tf.layers.add().apply([x, block.apply(x) as tf.SymbolicTensor]) as tf.SymbolicTensor;
      return tf.model({ inputs: x, outputs: y, name: 'tower' });
    })();
    const input = tf.input({ shape: [5, 5, 3], name: 'pixels' });
    const twice = tower.apply(tower.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.flatten().apply(twice) as tf.SymbolicTensor });
    randomizeWeights(model);
    const graph = await expectSameAsPredict(model);
    const convs = graph.nodes.filter((n) => n.op === 'Conv2D');
    expect(convs.map((n) => n.name)).to.deep.equal(['tower/block/conv2d_Conv2D1/Conv2D', 'tower_1/block/conv2d_Conv2D1/Conv2D'].map((s) => s.replace('conv2d_Conv2D1', block.layers[0]!.name)));
    expect(convs[0]!.inputs[1]).to.equal(convs[1]!.inputs[1]);
  });

  it('converts a Sequential that starts with another Sequential', async () => {
    const inner = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 4 })] });
    const outer = tf.sequential({ layers: [inner, tf.layers.dense({ units: 2, activation: 'softmax' })] });
    randomizeWeights(outer);
    const graph = await expectSameAsPredict(outer);
    expect(opsOf(graph)).to.deep.equal(['MatMul', 'BiasAdd', 'Relu', 'MatMul', 'BiasAdd', 'MatMul', 'BiasAdd', 'Softmax']);
  });

  it('converts a Sequential model whose first layer declares the input shape', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], name: 'hidden' }), tf.layers.dropout({ rate: 0.2 }), tf.layers.dense({ units: 2, name: 'out' })] });
    randomizeWeights(model);
    const graph = await expectSameAsPredict(model);
    expect(graph.inputs).to.deep.equal(['hidden_input']);
    expect(Object.keys(graph.signatures.serving_default!.inputs)).to.deep.equal(['hidden_input']);
    expect(Object.keys(graph.signatures.serving_default!.outputs)).to.deep.equal(['out']);
    expect(graph.metadata.source).to.deep.include({ className: 'Sequential' });
  });

  it('lists every unsupported layer at once, nested ones included, before emitting anything', () => {
    const input = tf.input({ shape: [4, 3] });
    const inner = tf.sequential({ name: 'encoder', layers: [tf.layers.simpleRNN({ units: 2, inputShape: [4, 3], returnSequences: true, name: 'rnn' })] });
    let x = new Lambda({ name: 'square' }).apply(input) as tf.SymbolicTensor;
    x = inner.apply(x) as tf.SymbolicTensor;
    x = tf.layers.lstm({ units: 2, name: 'lstm' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.depthwiseConv2d({ kernelSize: 1, dilationRate: 2, name: 'dw' }).apply(tf.layers.reshape({ targetShape: [1, 1, 2] }).apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    let error: unknown;
    try { graphFromLayersModel(model); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(UnsupportedLayersError).and.instanceOf(ModelportError);
    const e = error as UnsupportedLayersError;
    expect(e.unsupported.map((u) => [u.layer, u.className])).to.deep.equal([
      ['square', 'Lambda'], ['encoder/rnn', 'SimpleRNN'], ['lstm', 'LSTM'], ['dw', 'DepthwiseConv2D'],
    ]);
    expect(e.message).to.match(/^4 layer\(s\) cannot be converted to graph ops: "square" \(Lambda: it runs arbitrary code; .*"encoder\/rnn" \(SimpleRNN: recurrent layers/);
  });

  it('leaves out layers no output depends on', () => {
    const input = tf.input({ shape: [3] });
    tf.layers.dense({ units: 5, name: 'unused' }).apply(input);
    const graph = graphFromLayersModel(tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, name: 'used' }).apply(input) as tf.SymbolicTensor }));
    expect(opsOf(graph)).to.deep.equal(['MatMul', 'BiasAdd']);
  });
});
