import * as tf from '@tensorflow/tfjs';
import { decodeTfjsWeights, defaultSignature, initBackend, ModelLoadError, type Graph, type Predictor, type TfjsModelFiles } from '@modelport/core';
import { layersModelReference } from './layers-reference.js';
import { graphFromLayersModel } from './layers/index.js';
import { checkLayersTopology } from './layers/check-layers-topology.js';

/**
 * A Keras layers model read from disk. tfjs's own loader parses it, so every Keras 2.x config that
 * tf.loadLayersModel accepts is accepted here; the weight bytes are checked first so that a cut
 * shard is our clear error, not a RangeError from inside tfjs, and the layer links are checked
 * first because tfjs loops for ever on a broken one.
 */
export async function importLayersModelFile(files: TfjsModelFiles): Promise<ImportedLayersModel> {
  checkLayersTopology(files.json, files.file);
  for (const { group, bytes, files: shardFiles } of files.groups) decodeTfjsWeights(group.weights, bytes, shardFiles);
  await initBackend();
  const weightSpecs = files.groups.flatMap((g) => g.group.weights) as tf.io.WeightsManifestEntry[];
  const all = new Uint8Array(files.groups.reduce((n, g) => n + g.bytes.byteLength, 0));
  let offset = 0;
  for (const g of files.groups) { all.set(g.bytes, offset); offset += g.bytes.byteLength; }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: files.json.modelTopology, weightSpecs, weightData: all.buffer as ArrayBuffer,
      format: files.json.format, generatedBy: files.json.generatedBy, convertedBy: files.json.convertedBy ?? undefined,
    }));
  } catch (e) {
    throw new ModelLoadError(`tfjs could not load this layers model: ${(e as Error).message}`, { file: files.file }, { cause: e });
  }
  try {
    const topology = files.json.modelTopology as { keras_version?: string; backend?: string };
    const graph = withSource(graphFromLayersModel(model, {
      ...(topology.keras_version ? { kerasVersion: topology.keras_version } : {}),
      ...(topology.backend ? { backend: topology.backend } : {}),
    }), files.file);
    return { graph, reference: layersModelReference(model, defaultSignature(graph), true) };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** The converted graph, and the source model itself to validate against. */
export interface ImportedLayersModel {
  readonly graph: Graph;
  readonly reference: Predictor;
}

/** An in-memory tf.LayersModel (training code hands it over directly). */
export function importLayersModel(model: unknown): ImportedLayersModel {
  if (!(model instanceof tf.LayersModel)) throw new ModelLoadError('the in-memory model is not a tf.LayersModel of this @tensorflow/tfjs');
  const graph = graphFromLayersModel(model);
  return { graph, reference: layersModelReference(model, defaultSignature(graph), false) };
}

function withSource(graph: Graph, file: string): Graph {
  const source = { ...(graph.metadata.source as object | undefined), file };
  return { ...graph, metadata: { ...graph.metadata, source } };
}
