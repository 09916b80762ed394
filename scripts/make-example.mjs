// Writes examples/tiny-cnn: a small Keras-style CNN as a tfjs layers model (model.json + weights.bin),
// with seeded weights so the file is the same every time. The README's demo exports it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'tiny-cnn');
const init = (seed) => tf.initializers.glorotUniform({ seed });

const input = tf.input({ shape: [32, 32, 3], name: 'image' });
let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv1' }).apply(input);
x = tf.layers.batchNormalization({ name: 'bn1' }).apply(x);
const skip = x;
x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: init(2), name: 'dw2' }).apply(x);
x = tf.layers.reLU({ maxValue: 6, name: 'relu6_2' }).apply(x);
x = tf.layers.add({ name: 'skip_add' }).apply([x, skip]);
x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(x);
x = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(3), name: 'conv3' }).apply(x);
x = tf.layers.leakyReLU({ alpha: 0.1, name: 'lrelu3' }).apply(x);
x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x);
x = tf.layers.dropout({ rate: 0.2, name: 'drop' }).apply(x);
const probs = tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4), name: 'classes' }).apply(x);
const model = tf.model({ inputs: input, outputs: probs, name: 'tiny_cnn' });
// Non-trivial batch-norm statistics, so the example exercises them.
const bn = model.getLayer('bn1');
bn.setWeights(bn.getWeights().map((w, i) => tf.fill(w.shape, [1.2, 0.1, 0.05, 0.9][i])));

mkdirSync(out, { recursive: true });
await model.save(tf.io.withSaveHandler(async (artifacts) => {
  writeFileSync(path.join(out, 'weights.bin'), Buffer.from(artifacts.weightData));
  const json = {
    format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null,
    modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  };
  writeFileSync(path.join(out, 'model.json'), `${JSON.stringify(json)}\n`);
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
}));
process.stderr.write(`wrote ${out}\n`);
