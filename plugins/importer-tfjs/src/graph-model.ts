import { decodeTfjsWeights, graphFromTfjsGraphModel, type ConstantTensor, type Graph, type TfjsModelFiles } from '@modelport/core';

/** The Graph IR of a tfjs graph model read from disk, weights dequantized (float16, uint8, uint16). */
export function importGraphModel(files: TfjsModelFiles): Graph {
  const weights = new Map<string, ConstantTensor>();
  for (const { group, bytes, files: shardFiles } of files.groups) {
    for (const [name, value] of decodeTfjsWeights(group.weights, bytes, shardFiles)) weights.set(name, value);
  }
  return graphFromTfjsGraphModel(files.json, weights, files.file);
}
