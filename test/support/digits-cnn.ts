import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { DIGIT_PIXELS, type Digits } from './digits.js';

// A small CNN for 8×8 digits: conv 3×3 ×8 relu (same), conv 3×3 ×16 stride 2 relu (same), flatten,
// dense 10 softmax. It is trained in tfjs with each convolution written as image patches × a matrix
// (the same arithmetic): the wasm backend has no Conv2DBackpropFilter and the cpu backend's takes
// minutes; the weights then go into the tf.layers model that is exported.

const CONV1 = 8, CONV2 = 16, CLASSES = 10;

/** Each output position's 3×3 input patch of the 8×8 images, zero-padded (stride 1, 'same'): [n·64, 9]. */
function inputPatches(d: Digits): tf.Tensor2D {
  const out = new Float32Array(d.count * 64 * 9);
  for (let n = 0; n < d.count; n++) {
    for (let oh = 0; oh < 8; oh++) for (let ow = 0; ow < 8; ow++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
      const ih = oh + kh - 1, iw = ow + kw - 1;
      if (ih >= 0 && ih < 8 && iw >= 0 && iw < 8) out[(n * 64 + oh * 8 + ow) * 9 + kh * 3 + kw] = d.pixels[n * DIGIT_PIXELS + ih * 8 + iw]!;
    }
  }
  return tf.tensor2d(out, [d.count * 64, 9]);
}

/** 0/1 matrix [16·9, 64] picking, for each of the 4×4 outputs of a stride-2 'same' 3×3 conv, its taps among the 8×8 positions. */
function strideTwoTaps(): tf.Tensor2D {
  const sel = new Float32Array(16 * 9 * 64);
  for (let oh = 0; oh < 4; oh++) for (let ow = 0; ow < 4; ow++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
    // TensorFlow's 'same' for 8 → 4 at stride 2 pads one row and column at the end only.
    const ih = oh * 2 + kh, iw = ow * 2 + kw;
    if (ih < 8 && iw < 8) sel[((oh * 4 + ow) * 9 + kh * 3 + kw) * 64 + ih * 8 + iw] = 1;
  }
  return tf.tensor2d(sel, [16 * 9, 64]);
}

interface Weights { w1: tf.Variable; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable; w3: tf.Variable; b3: tf.Variable }

function logits(v: Weights, patches: tf.Tensor2D, taps: tf.Tensor2D, n: number): tf.Tensor2D {
  return tf.tidy(() => {
    const h1 = tf.relu(tf.add(tf.matMul(patches, v.w1), v.b1)).reshape([n, 64, CONV1]);
    const cols = h1.transpose([1, 0, 2]).reshape([64, n * CONV1]);
    const p2 = tf.matMul(taps, cols).reshape([16, 9, n, CONV1]).transpose([2, 0, 1, 3]).reshape([n * 16, 9 * CONV1]);
    const h2 = tf.relu(tf.add(tf.matMul(p2, v.w2), v.b2)).reshape([n, 16 * CONV2]);
    return tf.add(tf.matMul(h2, v.w3), v.b3) as tf.Tensor2D;
  });
}

export interface TrainedDigits {
  readonly model: tf.LayersModel;
  readonly seconds: number;
}

/** Trains the CNN on `train` (seeded, Adam, full passes in order) and returns it as a tf.layers model. */
export async function trainDigitsCnn(train: Digits, epochs = 20, batchSize = 50): Promise<TrainedDigits> {
  await initBackend();
  const t0 = performance.now();
  const glorot = (shape: number[], seed: number) => tf.initializers.glorotUniform({ seed }).apply(shape) as tf.Tensor;
  const v: Weights = {
    w1: tf.variable(glorot([3, 3, 1, CONV1], 1).reshape([9, CONV1])), b1: tf.variable(tf.zeros([CONV1])),
    w2: tf.variable(glorot([3, 3, CONV1, CONV2], 2).reshape([9 * CONV1, CONV2])), b2: tf.variable(tf.zeros([CONV2])),
    w3: tf.variable(glorot([16 * CONV2, CLASSES], 3)), b3: tf.variable(tf.zeros([CLASSES])),
  };
  const taps = strideTwoTaps();
  const batches: { patches: tf.Tensor2D; labels: tf.Tensor2D; n: number }[] = [];
  for (let s = 0; s < train.count; s += batchSize) {
    const n = Math.min(batchSize, train.count - s);
    const slice: Digits = { count: n, pixels: train.pixels.subarray(s * DIGIT_PIXELS, (s + n) * DIGIT_PIXELS), labels: train.labels.subarray(s, s + n) };
    batches.push({ patches: inputPatches(slice), labels: tf.oneHot(tf.tensor1d(slice.labels, 'int32'), CLASSES) as tf.Tensor2D, n });
  }
  const optimizer = tf.train.adam(0.01);
  for (let e = 0; e < epochs; e++) {
    for (const b of batches) optimizer.minimize(() => tf.losses.softmaxCrossEntropy(b.labels, logits(v, b.patches, taps, b.n)) as tf.Scalar);
  }
  const model = layersModel(v);
  for (const b of batches) { b.patches.dispose(); b.labels.dispose(); }
  taps.dispose();
  optimizer.dispose();
  Object.values(v).forEach((t) => t.dispose());
  return { model, seconds: (performance.now() - t0) / 1000 };
}

/** The tf.layers model with the trained weights: input "pixels" [N, 8, 8, 1], output softmax [N, 10]. */
function layersModel(v: Weights): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 1], name: 'pixels' });
  let x = tf.layers.conv2d({ filters: CONV1, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: CONV2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv2' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const scores = tf.layers.dense({ units: CLASSES, activation: 'softmax', name: 'digit' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: scores, name: 'digits_cnn' });
  model.getLayer('conv1').setWeights([v.w1.reshape([3, 3, 1, CONV1]), v.b1]);
  model.getLayer('conv2').setWeights([v.w2.reshape([3, 3, CONV1, CONV2]), v.b2]);
  model.getLayer('digit').setWeights([v.w3, v.b3]);
  return model;
}

/** The model's predicted digit for each image. */
export function predictDigits(model: tf.LayersModel, d: Digits): Int32Array {
  return tf.tidy(() => {
    const scores = model.predict(tf.tensor4d(d.pixels, [d.count, 8, 8, 1])) as tf.Tensor;
    return Int32Array.from(scores.argMax(-1).dataSync());
  });
}

/** Saves a layers model as model.json + weights.bin in `dir`; returns the model.json path. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    await fs.writeFile(path.join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
    await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model', generatedBy: 'modelport tests', convertedBy: null, modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return path.join(dir, 'model.json');
}
