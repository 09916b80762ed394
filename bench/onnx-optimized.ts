// Prints, for .onnx files, the ops onnxruntime runs after its graph optimizations (what it fused,
// and the QuantizeLinear/DequantizeLinear it left) and the median latency of one run, 1 thread.
// Usage: node bench/dist/onnx-optimized.js --runs 20 models/blazeface/1/model.onnx [more.onnx …]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { timeRuns } from './corpus-bench.js';

const { onnx } = onnxProto;
const runIndex = process.argv.indexOf('--runs');
const runs = runIndex > 0 ? Number(process.argv[runIndex + 1]) : 20;
const files = process.argv.slice(2).filter((a, i, all) => a !== '--runs' && all[i - 1] !== '--runs');

/** Seeded values in [0, 1) of the input's type and shape (open dimensions as 1). */
function feedFor(meta: ort.InferenceSession.ValueMetadata): ort.Tensor {
  const shape = meta.isTensor ? meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1)) : [1];
  const size = shape.reduce((n, d) => n * d, 1);
  const type = meta.isTensor ? meta.type : 'float32';
  if (type === 'float32') return new ort.Tensor('float32', Float32Array.from({ length: size }, (_, i) => (i % 255) / 255), shape);
  if (type === 'uint8') return new ort.Tensor('uint8', Uint8Array.from({ length: size }, (_, i) => i % 255), shape);
  return new ort.Tensor('int32', Int32Array.from({ length: size }, (_, i) => i % 255), shape);
}

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-bench-ort-'));
  console.log(`# bench/onnx-optimized.ts — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, onnxruntime-node, 1 intra-op thread, median of ${runs} after 1 warm-up`);
  try {
    for (const file of files) {
      const optimized = path.join(work, 'optimized.onnx');
      const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, optimizedModelFilePath: optimized, logSeverityLevel: 4 });
      const feeds = Object.fromEntries(session.inputNames.map((name, i) => [name, feedFor(session.inputMetadata[i]!)]));
      const ms = await timeRuns(runs, () => session.run(feeds));
      await session.release();
      const counts = new Map<string, number>();
      for (const node of onnx.ModelProto.decode(await fs.readFile(optimized)).graph?.node ?? []) counts.set(node.opType ?? '?', (counts.get(node.opType ?? '?') ?? 0) + 1);
      console.log(`${file} | ${ms.toFixed(2)} ms | ${[...counts].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ')}`);
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
