import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** A small fully convolutional Keras model with a skip connection, any image size in ([null, null, 3]). */
export function fullyConvolutional(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const image = tf.input({ shape: [null, null, 3], name: 'image' });
  const a = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv_a' }).apply(image) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: init(2), name: 'conv_b' }).apply(a) as tf.SymbolicTensor;
  const skip = tf.layers.add({ name: 'skip' }).apply([a, b]) as tf.SymbolicTensor;
  const down = tf.layers.maxPooling2d({ poolSize: 2, name: 'down' }).apply(skip) as tf.SymbolicTensor;
  const up = tf.layers.upSampling2d({ size: [2, 2], name: 'up' }).apply(down) as tf.SymbolicTensor;
  const mask = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: init(3), name: 'mask' }).apply(up) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: mask, name: 'fcn' });
}

/** Saves a layers model as model.json + weights.bin in `dir`, as tfjs's file handler would; returns the model.json path. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (a) => {
    await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.from(a.weightData as ArrayBuffer));
    await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return path.join(dir, 'model.json');
}
