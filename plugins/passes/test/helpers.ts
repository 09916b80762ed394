import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  assertValidGraph, compareTensors, concreteShape, decodeTfjsWeights, defaultSignature, GraphExecutor, graphFromTfjsGraphModel,
  nodeMap, parseTensorRef, placeholderTensor, randomTensor, readTfjsModelFiles, seededRandom,
  type ConstantTensor, type DType, type Graph, type Node, type TensorData, type TensorRef,
} from '@modelport/core';

/** Relative tolerance for "outputs equal": passes must not change values beyond float noise. */
export const TOLERANCE = 1e-6;

export const CORPUS_DIR = fileURLToPath(new URL('../../../../.corpus/models/', import.meta.url));

export function tensor(dtype: DType, shape: readonly number[], values: readonly number[]): TensorData {
  const data = dtype === 'float32' ? Float32Array.from(values) : dtype === 'bool' ? Uint8Array.from(values) : Int32Array.from(values);
  return { dtype, shape, data };
}

export function opCounts(graph: Graph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of graph.nodes) counts[n.op] = (counts[n.op] ?? 0) + 1;
  return counts;
}

export function node(graph: Graph, name: string): Node {
  const found = nodeMap(graph).get(name);
  expect(found, `node "${name}"`).to.not.equal(undefined);
  return found!;
}

/** The graph passes assertValidGraph (and is returned, to chain). */
export function valid(graph: Graph): Graph {
  assertValidGraph(graph, 'the graph under test');
  return graph;
}

export async function runGraph(graph: Graph, feeds: Readonly<Record<string, TensorData>>, fetches: readonly TensorRef[] = graph.outputs): Promise<TensorData[]> {
  const executor = await GraphExecutor.create(graph);
  try {
    return await executor.run(feeds, fetches);
  } finally {
    executor.dispose();
  }
}

/** Runs both graphs on the same feeds and asserts every fetched tensor agrees within TOLERANCE. */
export async function expectSameOutputs(before: Graph, after: Graph, feeds: Readonly<Record<string, TensorData>>, fetches: readonly TensorRef[] = before.outputs): Promise<void> {
  const [want, got] = [await runGraph(before, feeds, fetches), await runGraph(after, feeds, fetches)];
  fetches.forEach((ref, i) => {
    expect(got[i]!.dtype, `${ref} dtype`).to.equal(want[i]!.dtype);
    const c = compareTensors(ref, got[i]!, want[i]!, TOLERANCE);
    expect(c.ok, `${ref}: ${c.problem}`).to.equal(true);
  });
}

/** Random feeds for every signature input and graph input, unknown dimensions made `fill`. */
export function randomFeeds(graph: Graph, seed: number, fill = 64): Record<string, TensorData> {
  const random = seededRandom(seed);
  const feeds: Record<string, TensorData> = {};
  for (const t of Object.values(defaultSignature(graph).inputs)) {
    feeds[parseTensorRef(t.name).node] = randomTensor(t.dtype as DType, concreteShape(t.shape, fill), random);
  }
  const byName = nodeMap(graph);
  for (const name of graph.inputs) {
    if (feeds[name]) continue;
    const t = placeholderTensor(byName.get(name)!);
    feeds[name] = randomTensor(t.dtype as DType, concreteShape(t.shape, fill), random);
  }
  return feeds;
}

/** A corpus model as the IR, or undefined when the corpus was not fetched (`npm run corpus`). */
export async function loadCorpusGraph(name: string): Promise<Graph | undefined> {
  const file = `${CORPUS_DIR}${name}.json`;
  if (!existsSync(file)) return undefined;
  const files = await readTfjsModelFiles(file);
  const weights = new Map<string, ConstantTensor>();
  for (const { group, bytes, files: shards } of files.groups) {
    for (const [k, v] of decodeTfjsWeights(group.weights, bytes, shards)) weights.set(k, v);
  }
  return graphFromTfjsGraphModel(files.json, weights, file);
}
