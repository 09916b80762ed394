import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * Writes a tf.LayersModel as a tfjs layers model (model.json + weights.bin) into `dir`, as tfjs's
 * own `model.save` lays it out. Restoring it gives the same layers and the same float32 weights,
 * so predictions match the trained model bit for bit, which a converted graph model cannot promise
 * (fused ops sum in another order). Returns the files written, relative to `dir`'s parent.
 */
export async function writeLayersModel(model: tf.LayersModel, dir: string): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const folder = path.basename(dir);
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
    const modelJson = {
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology,
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    };
    await fs.writeFile(path.join(dir, 'weights.bin'), weights);
    await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
  return [`${folder}/model.json`, `${folder}/weights.bin`];
}
