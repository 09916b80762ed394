import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareTensors, seededRandom, silentLogger, sizeOfShape, type Graph, type TensorData } from '@modelport/core';
import { loadTflitePredictor } from '@modelport/runtime-tflite';
import { exportTflite, type TfliteExportOptions } from '../src/index.js';
import { runTfjs } from './run-both.js';

/** Seeded random float samples, uniform in [-2, 2), for every input of a graph, keyed by the input's name. */
export function floatSamples(graph: Graph, count: number, seed = 11): Record<string, TensorData>[] {
  const random = seededRandom(seed);
  const shapes = graph.inputs.map((name) => [name, (graph.nodes.find((n) => n.name === name)!.attrs.shape as { shape: number[] }).shape] as const);
  return Array.from({ length: count }, () => Object.fromEntries(shapes.map(([name, shape]) => [name, {
    dtype: 'float32' as const, shape, data: Float32Array.from({ length: sizeOfShape(shape) }, () => random() * 4 - 2),
  }])));
}

export interface QuantizedRun {
  readonly bytes: Uint8Array;
  /** Per sample, the LiteRT.js outputs by key. */
  readonly outputs: Record<string, TensorData>[];
}

/** Exports `graph` and runs it in LiteRT.js on each sample. */
export async function exportAndRun(graph: Graph, samples: readonly Record<string, TensorData>[], options: TfliteExportOptions = {}): Promise<QuantizedRun> {
  const { bytes } = await exportTflite(graph, options);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-tflite-q-'));
  const file = path.join(dir, 'model.tflite');
  await fs.writeFile(file, bytes);
  const predictor = await loadTflitePredictor(file, silentLogger);
  try {
    const outputs: Record<string, TensorData>[] = [];
    for (const s of samples) outputs.push(await predictor.predict(s));
    return { bytes, outputs };
  } finally {
    await predictor.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The smallest cosine, over samples, between output `key` of the runs and of the float graph in tfjs. */
export async function worstCosine(graph: Graph, samples: readonly Record<string, TensorData>[], outputs: readonly Record<string, TensorData>[], key: string, decode = (t: TensorData) => t): Promise<number> {
  let worst = 1;
  for (let i = 0; i < samples.length; i++) {
    const reference = (await runTfjs(graph, samples[i]!))[key]!;
    const got = decode(outputs[i]![key]!);
    worst = Math.min(worst, compareTensors(key, { ...got, dtype: 'float32', data: Float32Array.from(got.data as ArrayLike<number>) }, reference, 1).cosine);
  }
  return worst;
}
