import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { attr, concreteShape, randomTensor, seededRandom, type DType, type Graph, type TensorData } from '@modelport/core';

/** The corpus of real tfjs models (.corpus/models at the repository root), found above this file. */
export function corpusDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.corpus', 'models');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('no .corpus/models above the tests (npm run corpus)');
}

export function corpusModels(): string[] {
  return readdirSync(corpusDir()).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

export const corpusFile = (name: string) => path.join(corpusDir(), `${name}.json`);

/** Seeded random feeds by Placeholder name, open dims as 1 (batch) or `fill`. */
export function randomFeeds(graph: Graph, fill = 64, seed = 1): Record<string, TensorData> {
  const random = seededRandom(seed);
  const feeds: Record<string, TensorData> = {};
  for (const name of graph.inputs) {
    const node = graph.nodes.find((n) => n.name === name)!;
    const shape = attr.has(node, 'shape') ? attr.shape(node, 'shape') : null;
    feeds[name] = randomTensor(attr.dtype(node, 'dtype') as DType, concreteShape(shape, fill), random);
  }
  return feeds;
}
