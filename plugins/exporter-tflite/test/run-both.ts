import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compareTensors, concreteShape, defaultSignature, GraphExecutor, randomTensor, seededRandom, silentLogger,
  type DType, type Graph, type OutputComparison, type TensorData,
} from '@modelport/core';
import { loadTflitePredictor } from '@modelport/runtime-tflite';
import { exportTflite, type TfliteExportOptions } from '../src/index.js';

/** Random inputs for the default signature of a graph (seeded: runs repeat). */
export function inputsFor(graph: Graph, seed = 1): Record<string, TensorData> {
  const random = seededRandom(seed);
  const sig = defaultSignature(graph);
  return Object.fromEntries(Object.entries(sig.inputs).map(([k, s]) => [k, randomTensor(s.dtype as DType, concreteShape(s.shape), random)]));
}

/** The graph's default signature run in tfjs (the reference), outputs by signature key. */
export async function runTfjs(graph: Graph, inputs: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const sig = defaultSignature(graph);
  const executor = await GraphExecutor.create(graph);
  try {
    return await executor.runSignature(sig, inputs);
  } finally {
    executor.dispose();
  }
}

export interface BothRuns {
  readonly bytes: Uint8Array;
  readonly ops: readonly string[];
  readonly comparisons: OutputComparison[];
  readonly outputs: Record<string, TensorData>;
  /** The tfjs outputs compared against. */
  readonly reference: Record<string, TensorData>;
}

/**
 * Exports `graph` to .tflite, runs it in LiteRT.js and the graph in tfjs on the same inputs, and
 * compares every output (max |Δ| ≤ tolerance · max |ref|).
 */
export async function exportAndCompare(graph: Graph, options: TfliteExportOptions = {}, tolerance = 1e-4, inputs = inputsFor(graph)): Promise<BothRuns> {
  const result = await exportTflite(graph, options);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-tflite-'));
  const file = path.join(dir, 'model.tflite');
  await fs.writeFile(file, result.bytes);
  const predictor = await loadTflitePredictor(file, silentLogger);
  try {
    const outputs = await predictor.predict(inputs);
    const reference = await runTfjs(graph, inputs);
    const comparisons = Object.keys(reference).map((k) => (outputs[k]
      ? compareTensors(k, outputs[k]!, reference[k]!, tolerance)
      : { output: k, shape: reference[k]!.shape, maxAbsDiff: Infinity, maxAbsRef: 0, cosine: 0, ok: false, problem: 'missing from the TFLite outputs' }));
    return { bytes: result.bytes, ops: result.ops, comparisons, outputs, reference };
  } finally {
    await predictor.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** A one-line account of failed comparisons, for assertion messages. */
export function describeFailures(comparisons: readonly OutputComparison[]): string {
  return comparisons.filter((c) => !c.ok).map((c) => `${c.output}: ${c.problem}`).join('; ');
}
