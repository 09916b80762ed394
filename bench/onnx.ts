// Prints, per corpus model: the ONNX export time, and the latency of one inference in tfjs (wasm
// backend, as modelport validates) and in onnxruntime-node (CPU, 1 intra-op thread and all cores)
// on the same input, with the ratio. Usage: npm run bench:onnx [-- --runs 10 --only emotion,rvm]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  concreteShape, defaultSignature, GraphExecutor, initBackend, loadTfjsGraphModel, parseTensorRef, randomTensor, seededRandom, silentLogger,
  type DType, type TensorData,
} from '@modelport/core';
import { exportOnnx } from '@modelport/exporter-onnx';
import { loadOnnxPredictor } from '@modelport/runtime-onnx';
import { CORPUS_DIR, corpusModels, flag, timeRuns } from './corpus-bench.js';

const runs = Number(flag('runs') ?? 10);

async function main(): Promise<void> {
  const backend = await initBackend();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-bench-onnx-'));
  const models = corpusModels();
  console.log(`# bench/onnx.ts — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, tfjs ${tf.version.tfjs} (${backend}), onnxruntime-node, median of ${runs} after 1 warm-up, unknown dims 64`);
  console.log('model | export ms | tfjs ms | ort 1 thread ms | ort all ms | tfjs / ort(1) | tfjs / ort(all)');
  for (const model of models) {
    try {
      const graph = await loadTfjsGraphModel(path.join(CORPUS_DIR, `${model}.json`));
      const t0 = performance.now();
      const exported = exportOnnx(graph, { opset: 17, optimize: true });
      const exportMs = performance.now() - t0;
      const file = path.join(work, `${model}.onnx`);
      await fs.writeFile(file, exported.bytes);
      const sig = defaultSignature(graph);
      const random = seededRandom(5);
      const inputs: Record<string, TensorData> = Object.fromEntries(Object.entries(sig.inputs).map(([k, t]) => [k, randomTensor(t.dtype as DType, concreteShape(t.shape, 64), random)]));
      const feeds = Object.fromEntries(Object.entries(sig.inputs).map(([k, t]) => [parseTensorRef(t.name).node, inputs[k]!]));
      const executor = await GraphExecutor.create(graph, silentLogger);
      const fetches = Object.values(sig.outputs).map((t) => t.name);
      const tfjsMs = await timeRuns(runs, () => executor.run(feeds, fetches));
      const onnxMs: number[] = [];
      for (const threads of [1, os.cpus().length]) {
        const predictor = await loadOnnxPredictor(file, silentLogger, { intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
        onnxMs.push(await timeRuns(runs, () => predictor.predict(inputs)));
        await predictor.dispose();
      }
      executor.dispose();
      console.log(`${model} | ${exportMs.toFixed(0)} | ${tfjsMs.toFixed(2)}${executor.backend === 'cpu' ? ' (cpu)' : ''} | ${onnxMs[0]!.toFixed(2)} | ${onnxMs[1]!.toFixed(2)} | ${(tfjsMs / onnxMs[0]!).toFixed(1)}× | ${(tfjsMs / onnxMs[1]!).toFixed(1)}×`);
    } catch (e) {
      console.log(`${model} | failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  await fs.rm(work, { recursive: true, force: true });
}

await main();
