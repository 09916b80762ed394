import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Saves a layers model as model.json + weights.bin in `dir`, as tfjs writes them. */
export async function saveLayersModelFiles(model: tf.LayersModel, dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    await fs.writeFile(path.join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
    await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model', generatedBy: 'test', convertedBy: null, modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return path.join(dir, 'model.json');
}

/**
 * A valid model whose one predict keeps the main thread for seconds: `depth` 3×3 convolutions of
 * `channels` channels on a `size`² image. tfjs runs a layers model's predict synchronously.
 */
export function slowConvModel(size: number, channels: number, depth: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, channels], name: 'image' });
  let x = input;
  for (let i = 0; i < depth; i++) {
    x = tf.layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: i }), name: `conv${i}` }).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x, name: 'slow' });
}
