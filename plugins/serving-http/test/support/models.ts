import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { coreServices, createContainer, fromTfTensor, initBackend, toTfTensor, type ExportSummary, type TensorData } from '@modelport/core';
import { Registry } from '@modelport/registry';
import { startServer, type ModelServer, type ServeOptions } from '../../src/index.js';

/** This package's folder: the registry resolves plugins from the workspace's node_modules above it. */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type Container = ReturnType<typeof createContainer>;

/** A container with the tfjs importer, exporter and runtime (and onnx ones when asked). */
export async function configuredContainer(extra: readonly string[] = []): Promise<Container> {
  await initBackend();
  const container = createContainer();
  await new Registry({ cwd: PACKAGE_DIR, container }).configure({
    plugins: ['@modelport/importer-tfjs', '@modelport/exporter-tfjs', '@modelport/runtime-tfjs', ...extra],
  });
  return container;
}

export async function tempRepository(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `modelport-serving-${prefix}-`));
}

/** Exports an in-memory layers model into `<out>/<name>/<version>/` through the real pipeline. */
export async function exportModel(container: Container, model: tf.LayersModel, out: string, name: string, options: { version?: number; targets?: string[] } = {}): Promise<ExportSummary> {
  return coreServices(container).pipeline.run({
    source: { format: 'tfjs-layers-model', model, name },
    options: { targets: options.targets ?? ['tfjs'], out, validate: false, ...(options.version ? { version: options.version } : {}) },
  });
}

const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });

/** x [n, 4] → probs [n, 3] (softmax): one input, one output. */
export function denseModel(seed = 1): tf.LayersModel {
  const x = tf.input({ shape: [4], name: 'x' });
  const probs = tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: glorot(seed), biasInitializer: tf.initializers.constant({ value: seed / 10 }), name: 'probs' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: probs });
}

/** a [n, 4], b [n, 2] → sum [n, 3], scaled [n, 2]: several inputs and outputs. */
export function twoHeadModel(): tf.LayersModel {
  const a = tf.input({ shape: [4], name: 'a' });
  const b = tf.input({ shape: [2], name: 'b' });
  const cat = tf.layers.concatenate({ name: 'cat' }).apply([a, b]) as tf.SymbolicTensor;
  const sum = tf.layers.dense({ units: 3, kernelInitializer: glorot(3), name: 'sum' }).apply(cat) as tf.SymbolicTensor;
  const scaled = tf.layers.dense({ units: 2, activation: 'sigmoid', kernelInitializer: glorot(4), name: 'scaled' }).apply(a) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: [sum, scaled] });
}

/** The reference: the layers model's own predict, as nested arrays per output name. */
export async function referencePredict(model: tf.LayersModel, inputs: Record<string, number[][]>): Promise<Record<string, number[][]>> {
  const feeds = model.inputNames.map((n) => tf.tensor2d(inputs[n]!));
  const out = model.predict(feeds.length === 1 ? feeds[0]! : feeds);
  const list = Array.isArray(out) ? out : [out];
  const names = model.outputNames.map((n) => n.split('/')[0]!);
  const result: Record<string, number[][]> = {};
  for (let i = 0; i < list.length; i++) result[names[i]!] = (await list[i]!.array()) as number[][];
  tf.dispose([...feeds, ...list]);
  return result;
}

export async function referenceTensor(model: tf.LayersModel, input: TensorData): Promise<TensorData> {
  const x = toTfTensor(input);
  const y = model.predict(x) as tf.Tensor;
  const out = await fromTfTensor(y);
  tf.dispose([x, y]);
  return out;
}

/** Largest |a - b| over two nested arrays of numbers. */
export function maxDiff(a: unknown, b: unknown): number {
  const fa = [a].flat(Infinity as 1) as number[];
  const fb = [b].flat(Infinity as 1) as number[];
  if (fa.length !== fb.length) return Infinity;
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i]!)), 0);
}

/** A server over a fresh repository holding `dense` (denseModel(seed)) and `two-head`; stop() removes it all. */
export interface TwoModelServer {
  readonly server: ModelServer;
  readonly dense: tf.LayersModel;
  readonly twoHead: tf.LayersModel;
  stop(): Promise<void>;
}

export async function serveDenseAndTwoHead(prefix: string, denseSeed: number, options: Partial<ServeOptions> = {}): Promise<TwoModelServer> {
  const container = await configuredContainer();
  const repo = await tempRepository(prefix);
  const dense = denseModel(denseSeed);
  const twoHead = twoHeadModel();
  await exportModel(container, dense, repo, 'dense');
  await exportModel(container, twoHead, repo, 'two-head');
  const server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, ...options });
  return {
    server, dense, twoHead,
    async stop() {
      await server.close();
      await fs.rm(repo, { recursive: true, force: true });
    },
  };
}
