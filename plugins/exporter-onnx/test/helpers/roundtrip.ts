import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compareTensors, GraphExecutor, initBackend, randomTensor, seededRandom, silentLogger,
  type DType, type Graph, type OutputComparison, type TensorData,
} from '@modelport/core';
import { loadOnnxPredictor } from '@modelport/runtime-onnx';
import { exportOnnx, type OnnxExport } from '../../src/index.js';

export interface RoundTrip {
  readonly exported: OnnxExport;
  readonly outputs: Record<string, TensorData>;
  readonly reference: TensorData[];
  readonly comparisons: OutputComparison[];
}

/**
 * Exports `graph`, runs the .onnx in onnxruntime and the graph in tfjs (GraphExecutor) on the same
 * feeds (keyed by input name, which is the signature key for graphs from GraphBuilder), and
 * compares every output: max |Δ| ≤ tolerance · max|ref|.
 */
export async function roundTrip(graph: Graph, feeds: Record<string, TensorData>, options: { opset?: number; tolerance?: number } = {}): Promise<RoundTrip> {
  await initBackend();
  const exported = exportOnnx(graph, { opset: options.opset ?? 17, optimize: true });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-onnx-'));
  try {
    const file = path.join(dir, 'model.onnx');
    await fs.writeFile(file, exported.bytes);
    const predictor = await loadOnnxPredictor(file, silentLogger, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
    let outputs: Record<string, TensorData>;
    try { outputs = await predictor.predict(feeds); } finally { await predictor.dispose(); }
    const executor = await GraphExecutor.create(graph);
    let reference: TensorData[];
    try { reference = await executor.run(feeds); } finally { executor.dispose(); }
    const names = exported.model.graph.outputs.map((o) => o.name);
    const comparisons = names.map((n, i) => compareTensors(n, outputs[n]!, reference[i]!, options.tolerance ?? 1e-4));
    return { exported, outputs, reference, comparisons };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Exports and runs in onnxruntime only (for inputs tfjs cannot run, like empty loops). */
export async function runOnnx(graph: Graph, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const exported = exportOnnx(graph, { opset: 17, optimize: true });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-onnx-'));
  try {
    const file = path.join(dir, 'model.onnx');
    await fs.writeFile(file, exported.bytes);
    const predictor = await loadOnnxPredictor(file, silentLogger, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
    try { return await predictor.predict(feeds); } finally { await predictor.dispose(); }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function random(dtype: DType, shape: readonly number[], seed = 7, scale = 1, offset = 0): TensorData {
  const t = randomTensor(dtype, shape, seededRandom(seed));
  if (dtype !== 'float32' || (scale === 1 && offset === 0)) return t;
  return { ...t, data: (t.data as Float32Array).map((v) => v * scale + offset) };
}

export function tensor(dtype: DType, shape: readonly number[], values: readonly number[]): TensorData {
  const data = dtype === 'int32' ? Int32Array.from(values) : dtype === 'bool' ? Uint8Array.from(values) : Float32Array.from(values);
  return { dtype, shape, data };
}

/** Fails with every output's comparison when one is off. */
export function expectClose(r: RoundTrip): void {
  const bad = r.comparisons.filter((c) => !c.ok);
  if (bad.length) throw new Error(bad.map((c) => `${c.output}: ${c.problem ?? `max |Δ| ${c.maxAbsDiff}`}`).join('; '));
}
