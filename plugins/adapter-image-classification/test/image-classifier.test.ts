import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { contributionsTo, coreServices, createContainer, initBackend, SERVING_ADAPTERS, type Predictor, type TensorData } from '@modelport/core';
import imageClassification, { BYTES_SIGNATURE, PIXELS_SIGNATURE, topK, wrapImageClassifier } from '../src/index.js';
import { solidJpeg, solidPng } from '@modelport/testing';
import { layersPredictor } from './layers-predictor.js';

const LABELS = ['cat', 'dog', 'fish', 'bird', 'frog'];

function classifier(): tf.LayersModel {
  const image = tf.input({ shape: [8, 8, 3], name: 'image' });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }), name: 'conv' }).apply(image) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const scores = tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }), name: 'scores' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: scores });
}

/** What the model says for an image of one colour: resizing a solid image changes nothing. */
async function expectedTop(model: tf.LayersModel, rgb: number[], k: number, normalize: (v: number, c: number) => number) {
  const x = tf.tidy(() => tf.stack([tf.tensor3d(Array.from({ length: 64 }, () => rgb.map(normalize)).flat(), [8, 8, 3])]));
  const y = model.predict(x) as tf.Tensor;
  const scores: TensorData = { dtype: 'float32', shape: y.shape, data: (await y.data()) as Float32Array };
  tf.dispose([x, y]);
  return topK(scores, k, false);
}

describe('image-classification adapter', function () {
  this.timeout(30_000);
  let model: tf.LayersModel;
  let adapted: Predictor;
  before(async () => {
    await initBackend();
    model = classifier();
    adapted = wrapImageClassifier(layersPredictor(model), { labels: LABELS, topK: 3 });
  });

  it('offers an encoded-image signature and a pixel-tensor signature with top-k outputs', () => {
    expect(Object.keys(adapted.signatures)).to.deep.equal([BYTES_SIGNATURE, PIXELS_SIGNATURE]);
    expect(adapted.signatures[BYTES_SIGNATURE]!.inputs.image_bytes!.dtype).to.equal('string');
    expect(Object.keys(adapted.signatures[BYTES_SIGNATURE]!.outputs)).to.deep.equal(['classes', 'scores', 'labels']);
    expect(adapted.signatures[BYTES_SIGNATURE]!.outputs.classes!.shape).to.deep.equal([-1, 3]);
  });

  it('classifies PNG and JPEG bytes of any size like the model on the resized, scaled image', async () => {
    const want = await expectedTop(model, [255, 0, 128], 3, (v) => v / 255);
    const wantJpeg = await expectedTop(model, [0, 128, 255], 3, (v) => v / 255);
    const out = await adapted.predict({ image_bytes: { dtype: 'string', shape: [2], data: [solidPng(20, 13, [255, 0, 128]), solidJpeg(9, 9, [0, 128, 255])] as unknown as string[] } });
    expect(out.classes!.shape).to.deep.equal([2, 3]);
    expect([...(out.classes!.data as Int32Array).subarray(0, 3)]).to.deep.equal([...want.classes]);
    expect((out.scores!.data as Float32Array)[0]).to.be.closeTo(want.scores[0]!, 1e-5);
    expect((out.labels!.data as string[]).slice(0, 3)).to.deep.equal([...want.classes].map((c) => LABELS[c]));
    expect([...(out.classes!.data as Int32Array).subarray(3)]).to.deep.equal([...wantJpeg.classes]);
    expect((out.scores!.data as Float32Array)[3]).to.be.closeTo(wantJpeg.scores[0]!, 0.02); // JPEG is lossy
  });

  it('normalises with mean and std, and takes pixel tensors', async () => {
    const mean = [0.5, 0.4, 0.3];
    const std = [0.2, 0.25, 0.3];
    const normalised = wrapImageClassifier(layersPredictor(model), { scale: 'unit', mean, std, topK: 5 });
    const want = await expectedTop(model, [30, 60, 90], 5, (v, c) => (v / 255 - mean[c]!) / std[c]!);
    const pixels = new Float32Array(4 * 5 * 3).map((_, i) => [30, 60, 90][i % 3]!);
    const out = await normalised.predict({ images: { dtype: 'float32', shape: [1, 4, 5, 3], data: pixels } }, PIXELS_SIGNATURE);
    expect([...(out.classes!.data as Int32Array)]).to.deep.equal([...want.classes]);
    expect(Math.max(...[...(out.scores!.data as Float32Array)].map((s, i) => Math.abs(s - want.scores[i]!)))).to.be.below(1e-5);
    const symmetric = wrapImageClassifier(layersPredictor(model), { scale: 'symmetric', topK: 1 });
    const wantSym = await expectedTop(model, [30, 60, 90], 1, (v) => v / 127.5 - 1);
    const sym = await symmetric.predict({ images: { dtype: 'float32', shape: [1, 4, 5, 3], data: pixels } }, PIXELS_SIGNATURE);
    expect((sym.scores!.data as Float32Array)[0]).to.be.closeTo(wantSym.scores[0]!, 1e-5);
  });

  it('says which option to set when the model does not fix the image size', () => {
    const image = tf.input({ shape: [null, null, 3], name: 'image' });
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(image) as tf.SymbolicTensor;
    const open = tf.model({ inputs: image, outputs: gap });
    expect(() => wrapImageClassifier(layersPredictor(open), {})).to.throw(/set "size"/);
    expect(wrapImageClassifier(layersPredictor(open), { size: [4, 4] }).signatures[PIXELS_SIGNATURE]).to.exist;
  });

  it('contributes itself to SERVING_ADAPTERS when its plugin is applied, credited to its plugin', async () => {
    const container = createContainer();
    await coreServices(container).host.apply(imageClassification, { topK: 2 });
    const [contribution, ...more] = contributionsTo(container, SERVING_ADAPTERS);
    expect(more).to.have.length(0);
    expect(contribution!.plugin).to.equal('@modelport/adapter-image-classification');
    expect(contribution!.value.adapter.name).to.equal('@modelport/adapter-image-classification');
    expect(contribution!.value.defaults).to.include({ topK: 2, scale: 'unit' });
  });
});
