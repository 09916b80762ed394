import * as tf from '@tensorflow/tfjs';
import {
  concreteShape, initBackend, loadGraphModelFromMemory, randomTensor, readTfjsModelFiles, seededRandom, TfjsModelRunner,
  type DType, type TensorData,
} from '@modelport/core';

/** A tfjs graph model file loaded by tf.loadGraphModel itself (our reader only supplies the bytes). */
export async function loadGraphModelFile(file: string): Promise<TfjsModelRunner> {
  await initBackend();
  const files = await readTfjsModelFiles(file);
  const specs = files.groups.flatMap((g) => g.group.weights) as tf.io.WeightsManifestEntry[];
  return new TfjsModelRunner(await loadGraphModelFromMemory(files.json, specs, new Uint8Array(Buffer.concat(files.groups.map((g) => g.bytes)))));
}

/** Random feeds for a GraphModel's inputs, keyed by input node name. */
export function randomFeeds(model: tf.GraphModel, seed = 7): Record<string, TensorData> {
  const random = seededRandom(seed);
  return Object.fromEntries(model.inputs.map((i) => [i.name.replace(/:0$/, ''), randomTensor(i.dtype as DType, concreteShape(i.shape ?? null, 64), random)]));
}
