import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  concreteShape, loadTfjsGraphModel, parseTensorRef, randomTensor, seededRandom,
  type DType, type Graph, type TensorData,
} from '@modelport/core';
import { onnxEnds } from '../../src/signature-io.js';
import { neededNodes } from '../../src/convert-graph.js';

/** The corpus folder (`npm run corpus` fetches it), found above this file; undefined when absent. */
export function corpusDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, '.corpus', 'models');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

export async function corpusModels(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

export async function loadCorpusGraph(dir: string, name: string): Promise<Graph> {
  return loadTfjsGraphModel(path.join(dir, `${name}.json`));
}

/**
 * Inputs the models take as they are meant to: rvm's recurrent states start as scalar zeros and
 * its downsample ratio is a scalar (random [0, 1) values would resize a 1×1 image to nothing).
 */
const OVERRIDES: Readonly<Record<string, Readonly<Record<string, { shape: number[]; value?: number }>>>> = {
  rvm: {
    src: { shape: [1, 96, 128, 3] },
    'downsample_ratio:0': { shape: [], value: 0.5 },
    'r1i:0': { shape: [], value: 0 }, 'r2i:0': { shape: [], value: 0 }, 'r3i:0': { shape: [], value: 0 }, 'r4i:0': { shape: [], value: 0 },
  },
};

export interface CorpusFeeds {
  /** By ONNX input name (the signature key). */
  readonly onnx: Record<string, TensorData>;
  /** By Placeholder node name, for GraphExecutor. */
  readonly tfjs: Record<string, TensorData>;
}

/** Seeded random inputs for every input the exported model has, unknown dims as 1 (or `batch` on axis 0). */
export function corpusFeeds(name: string, graph: Graph, batch = 1, seed = 1): CorpusFeeds {
  const probe = onnxEnds(graph, new Set());
  const ends = onnxEnds(graph, neededNodes(graph, probe.outputs.map((o) => o.ref)));
  const random = seededRandom(seed);
  const onnx: Record<string, TensorData> = {};
  const tfjs: Record<string, TensorData> = {};
  for (const input of ends.inputs) {
    const override = OVERRIDES[name]?.[input.name];
    const shape = override?.shape ?? concreteShape(input.shape, 64).map((d, i) => (i === 0 && input.shape?.[0] === -1 ? batch : d));
    const t = override?.value !== undefined
      ? { dtype: input.dtype as DType, shape, data: Float32Array.from({ length: shape.reduce((n, d) => n * d, 1) }, () => override.value!) }
      : randomTensor(input.dtype as DType, shape, random);
    onnx[input.name] = t;
    tfjs[parseTensorRef(input.ref).node] = t;
  }
  return { onnx, tfjs };
}
