// Prints, per corpus model: the .tflite export time and size, and the latency of one inference in
// tfjs (wasm backend, as modelport validates) and in the TFLite runtime (LiteRT.js, wasm + XNNPACK,
// one thread) on the same batch-1 input, with the ratio. Inputs dynamic besides the batch are
// pinned to 64 (TFLite cannot resize inputs). `--float16` stores every float weight as float16
// (as --quantize float16 does). Usage: npm run bench:tflite [-- --runs 10 --only emotion --float16]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  concreteShape, defaultSignature, GraphExecutor, initBackend, loadTfjsGraphModel, parseTensorRef, pinInputShapes, randomTensor, seededRandom, silentLogger,
  type DType, type Graph, type TensorData,
} from '@modelport/core';
import { exportTflite } from '@modelport/exporter-tflite';
import { loadTflitePredictor } from '@modelport/runtime-tflite';
import { CORPUS_DIR, corpusModels, flag, timeRuns } from './corpus-bench.js';

const runs = Number(flag('runs') ?? 10);
const PIN = 64;
const FLOAT16 = process.argv.includes('--float16');

/**
 * rvm: scalar starting states (as the tests pin them) and downsample_ratio 1, the ratio its
 * ratio-sized states are declared at (LiteRT.js returns outputs at their declared size only).
 */
const RVM_STATES = { r1i: [], r2i: [], r3i: [], r4i: [], downsample_ratio: [] };
const INPUT_VALUES: Readonly<Record<string, Readonly<Record<string, number>>>> = { rvm: { 'downsample_ratio:0': 1 } };

/** Every input with a dynamic dimension besides the batch pinned to 64 (the batch to 1). */
function pinned(graph: Graph, model: string): Graph {
  const shapes: Record<string, number[]> = model === 'rvm' ? { ...RVM_STATES } : {};
  for (const [key, t] of Object.entries(defaultSignature(graph).inputs)) {
    if (t.shape !== null && t.shape.slice(1).some((d) => d < 0) && !(key in shapes)) shapes[key] = concreteShape(t.shape, PIN);
  }
  return pinInputShapes(graph, shapes);
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-bench-tflite-'));
  console.log(`# bench/tflite.ts — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, tfjs ${tf.version.tfjs} (${backend}), LiteRT.js (wasm, XNNPACK, 1 thread), median of ${runs} after 1 warm-up, batch 1, other unknown dims ${PIN}, weights ${FLOAT16 ? 'float16' : 'float32'}`);
  console.log('model | export ms | size MB | tfjs ms | tflite ms | tfjs / tflite');
  for (const model of corpusModels()) {
    try {
      const graph = pinned(await loadTfjsGraphModel(path.join(CORPUS_DIR, `${model}.json`)), model);
      const t0 = performance.now();
      const exported = await exportTflite(graph, FLOAT16 ? { float16: () => true } : {});
      const exportMs = performance.now() - t0;
      const file = path.join(work, `${model}.tflite`);
      await fs.writeFile(file, exported.bytes);
      const predictor = await loadTflitePredictor(file, silentLogger);
      const sig = defaultSignature(graph);
      const random = seededRandom(5);
      // The .tflite's static shapes decide (batch 1): tfjs gets the very same tensors.
      const inputs: Record<string, TensorData> = Object.fromEntries(Object.entries(predictor.signatures.serving_default!.inputs)
        .map(([k, t]) => [k, randomTensor(sig.inputs[k]!.dtype as DType, t.shape!, random)]));
      for (const [k, v] of Object.entries(INPUT_VALUES[model] ?? {})) (inputs[k]!.data as Float32Array)[0] = v;
      const feeds = Object.fromEntries(Object.entries(sig.inputs).map(([k, t]) => [parseTensorRef(t.name).node, inputs[k]!]));
      const executor = await GraphExecutor.create(graph, silentLogger);
      const fetches = Object.values(sig.outputs).map((t) => t.name);
      const tfjsMs = await timeRuns(runs, () => executor.run(feeds, fetches));
      const tfliteMs = await timeRuns(runs, () => predictor.predict(inputs));
      await predictor.dispose();
      executor.dispose();
      console.log(`${model} | ${exportMs.toFixed(0)} | ${(exported.bytes.byteLength / 1e6).toFixed(2)} | ${tfjsMs.toFixed(2)}${executor.backend === 'cpu' ? ' (cpu)' : ''} | ${tfliteMs.toFixed(2)} | ${(tfjsMs / tfliteMs).toFixed(1)}×`);
    } catch (e) {
      console.log(`${model} | refused or failed: ${(e as Error).message.split('\n')[0]!.slice(0, 200)}`);
    }
  }
  await fs.rm(work, { recursive: true, force: true });
}

await main();
