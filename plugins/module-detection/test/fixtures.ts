import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  decodeTfjsWeights, GraphExecutor, graphFromTfjsGraphModel, readTfjsModelFiles,
  type ConstantTensor, type Graph, type Predictor, type TensorData,
} from '@modelport/core';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CORPUS = `${ROOT}.corpus/models/`;
export const PHOTOS = `${ROOT}.test-data/skimage/`;

export const photo = (name: string): Uint8Array => readFileSync(`${PHOTOS}${name}`);

/** A tfjs graph model of the corpus as the IR. */
export async function corpusGraph(name: string): Promise<Graph> {
  const file = `${CORPUS}${name}.json`;
  const files = await readTfjsModelFiles(file);
  const weights = new Map<string, ConstantTensor>();
  for (const { group, bytes, files: shards } of files.groups) {
    for (const [k, v] of decodeTfjsWeights(group.weights, bytes, shards)) weights.set(k, v);
  }
  return graphFromTfjsGraphModel(files.json, weights, file);
}

/** The raw model served by tfjs: what the adapter wraps at serve time. `fed` collects the inputs it was given. */
export async function graphPredictor(graph: Graph, fed: Record<string, TensorData>[] = []): Promise<Predictor> {
  const exec = await GraphExecutor.create(graph);
  return {
    format: 'tfjs',
    signatures: graph.signatures,
    predict: (inputs, key = 'serving_default') => {
      fed.push(inputs);
      return exec.runSignature(graph.signatures[key]!, inputs);
    },
    dispose: async () => exec.dispose(),
  };
}

const values = (t: TensorData | undefined) => Array.from((t?.data ?? []) as ArrayLike<number>);

/**
 * The two sets of detection outputs agree: same counts and classes, boxes, scores and keypoints
 * within `tolerance`. Returns the detections per image.
 */
export function expectSameDetections(actual: Record<string, TensorData>, expected: Record<string, TensorData>, tolerance: number, where: string): number[] {
  const num = values(expected.num_detections);
  expect(values(actual.num_detections), `${where}: num_detections`).to.deep.equal(num);
  expect(values(actual.detection_classes), `${where}: detection_classes`).to.deep.equal(values(expected.detection_classes));
  for (const key of ['detection_boxes', 'detection_scores', 'detection_keypoints']) {
    const [a, e] = [values(actual[key]), values(expected[key])];
    expect(a.length, `${where}: ${key} size`).to.equal(e.length);
    const worst = a.reduce((m, v, i) => Math.max(m, Math.abs(v - e[i]!)), 0);
    expect(worst, `${where}: largest ${key} difference`).to.be.at.most(tolerance);
  }
  return num;
}
