import type { ConstantTensor, Graph } from '../graph/types.js';
import { graphFromTfjsGraphModel } from './graph-model.js';
import { readTfjsModelFiles, type TfjsModelFiles } from './model-files.js';
import { decodeTfjsWeights } from './weights.js';

/** The Graph IR of a tfjs graph model already read from disk, weights dequantized (float16, uint8, uint16). */
export function graphFromTfjsModelFiles(files: TfjsModelFiles): Graph {
  const weights = new Map<string, ConstantTensor>();
  for (const { group, bytes, files: shardFiles } of files.groups) {
    for (const [name, value] of decodeTfjsWeights(group.weights, bytes, shardFiles)) weights.set(name, value);
  }
  return graphFromTfjsGraphModel(files.json, weights, files.file);
}

/** Reads a tfjs graph model.json and its shards into the Graph IR (tests, benchmarks, tools). */
export async function loadTfjsGraphModel(file: string): Promise<Graph> {
  return graphFromTfjsModelFiles(await readTfjsModelFiles(file));
}
