import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import type { TensorData } from '@modelport/core';

const { onnx } = onnxProto;

export interface OrtRun {
  readonly outputs: Record<string, TensorData>;
  /** Op types of the graph onnxruntime runs after its optimisations (optimizedModelFilePath). */
  readonly optimizedOps: readonly string[];
  /** Median ms of `repeats` runs, 1 intra-op thread. */
  readonly medianMs: number;
}

function ortTensor(t: TensorData): ort.Tensor {
  return new ort.Tensor(t.dtype === 'float32' ? 'float32' : t.dtype as 'int8', t.data as Float32Array, [...t.shape]);
}

/** Runs a model in onnxruntime-node (all graph optimisations, 1 thread), saving the optimised graph to read what it fused. */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, TensorData>, repeats = 1): Promise<OrtRun> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-onnx-q-'));
  try {
    const optimized = path.join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1, optimizedModelFilePath: optimized, logSeverityLevel: 4,
    });
    try {
      const inputs = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, ortTensor(v)]));
      let results = await session.run(inputs);
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t0 = performance.now();
        results = await session.run(inputs);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const outputs = Object.fromEntries(session.outputNames.map((n) => {
        const t = results[n] as ort.Tensor;
        return [n, { dtype: t.type, shape: [...t.dims], data: t.data } as TensorData];
      }));
      const model = onnx.ModelProto.decode(await fs.readFile(optimized));
      return { outputs, optimizedOps: (model.graph?.node ?? []).map((n) => n.opType ?? ''), medianMs: times[Math.floor(times.length / 2)] ?? 0 };
    } finally {
      await session.release();
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i]! * b[i]!; na += a[i]! * a[i]!; nb += b[i]! * b[i]!; }
  return dot / (Math.sqrt(na * nb) || 1);
}

export function countOf(ops: readonly string[], op: string): number {
  return ops.filter((o) => o === op).length;
}
