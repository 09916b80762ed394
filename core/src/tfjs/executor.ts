import * as tf from '@tensorflow/tfjs';
import { ModelportError } from '../errors.js';
import type { Graph, Signature, TensorRef } from '../graph/types.js';
import { normalizeTensorRef, parseTensorRef } from '../graph/refs.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { TensorData } from '../tensors/tensor-data.js';
import { initBackend, isBackendLimitation, onCpuBackend } from './backend.js';
import { graphToTfjsGraphModel } from './graph-model.js';
import { fromTfTensor, toTfTensor } from './tensors.js';

/** Loads an in-memory tfjs graph model (model.json object + weights laid end to end). */
export async function loadGraphModelFromMemory(modelJson: object, weightSpecs: tf.io.WeightsManifestEntry[], weightData: Uint8Array): Promise<tf.GraphModel> {
  const json = modelJson as { modelTopology: object; format?: string; signature?: object; userDefinedMetadata?: object };
  const buffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer;
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs, weightData: buffer, format: json.format,
    signature: json.signature, userDefinedMetadata: json.userDefinedMetadata as {},
  });
  return tf.loadGraphModel(handler);
}

/**
 * Runs a tfjs GraphModel on TensorData. When the active backend lacks a kernel the model needs
 * (wasm has no BatchMatMul for int32, for one), the run is retried on cpu, and that model stays on cpu.
 */
export class TfjsModelRunner {
  private onCpu = false;
  // execute() is faster and quiet; models with control flow or dynamic shapes need executeAsync().
  private needsAsync = false;

  constructor(readonly model: tf.GraphModel, private readonly logger: Logger = silentLogger, private readonly label = 'model') {}

  /** Feeds are keyed by input node name or tensor name; fetches are tensor names ("node:0"). */
  async run(feeds: Readonly<Record<string, TensorData>>, fetches: readonly string[]): Promise<TensorData[]> {
    if (!this.onCpu) {
      try {
        return await this.execute(feeds, fetches);
      } catch (e) {
        if (tf.getBackend() === 'cpu' || !isBackendLimitation(e)) throw e;
        this.logger.info(`${this.label}: backend ${tf.getBackend()} cannot run it (${(e as Error).message.split('\n')[0]}); using cpu`);
        this.onCpu = true;
      }
    }
    return onCpuBackend(() => this.execute(feeds, fetches));
  }

  get backend(): string {
    return this.onCpu ? 'cpu' : tf.getBackend();
  }

  dispose(): void {
    this.model.dispose();
  }

  private async executeEither(inputs: tf.NamedTensorMap, fetches: string[]): Promise<tf.Tensor | tf.Tensor[]> {
    if (!this.needsAsync) {
      try {
        return this.model.execute(inputs, fetches);
      } catch (e) {
        if (!/executeAsync/.test((e as Error).message)) throw e;
        this.needsAsync = true;
      }
    }
    return this.model.executeAsync(inputs, fetches);
  }

  private async execute(feeds: Readonly<Record<string, TensorData>>, fetches: readonly string[]): Promise<TensorData[]> {
    const inputs: tf.NamedTensorMap = {};
    for (const [name, t] of Object.entries(feeds)) inputs[name] = toTfTensor(t);
    let outputs: tf.Tensor[] = [];
    try {
      const result = await this.executeEither(inputs, [...fetches]);
      outputs = Array.isArray(result) ? result : [result];
      return await Promise.all(outputs.map(fromTfTensor));
    } finally {
      tf.dispose(Object.values(inputs));
      tf.dispose(outputs);
    }
  }
}

/**
 * Runs a Graph IR with tfjs: emits it as an in-memory graph model and loads it with
 * tf.loadGraphModel. Any tensor of the graph can be fetched, not only its outputs.
 */
export class GraphExecutor {
  private constructor(readonly graph: Graph, private readonly runner: TfjsModelRunner) {}

  static async create(graph: Graph, logger: Logger = silentLogger): Promise<GraphExecutor> {
    await initBackend(logger);
    const { modelJson, weights } = graphToTfjsGraphModel(graph);
    const total = weights.reduce((n, w) => n + w.bytes.byteLength, 0);
    const data = new Uint8Array(total);
    let offset = 0;
    for (const w of weights) { data.set(w.bytes, offset); offset += w.bytes.byteLength; }
    try {
      const model = await loadGraphModelFromMemory(modelJson, weights.map((w) => w.spec as tf.io.WeightsManifestEntry), data);
      return new GraphExecutor(graph, new TfjsModelRunner(model, logger, 'graph'));
    } catch (e) {
      throw new ModelportError(`tfjs could not load the graph: ${(e as Error).message}`, {}, { cause: e });
    }
  }

  /** Feeds by input node name; returns the fetched tensors (default: the graph's outputs) in order. */
  async run(feeds: Readonly<Record<string, TensorData>>, fetches: readonly TensorRef[] = this.graph.outputs): Promise<TensorData[]> {
    return this.runner.run(feeds, fetches.map(normalizeTensorRef));
  }

  /** Runs one signature: inputs and outputs by the signature's keys, not by node and tensor names. */
  async runSignature(signature: Signature, inputs: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    const feeds = Object.fromEntries(Object.entries(signature.inputs).map(([key, t]) => [parseTensorRef(t.name).node, inputs[key]!]));
    const keys = Object.keys(signature.outputs);
    const values = await this.run(feeds, keys.map((key) => signature.outputs[key]!.name));
    return Object.fromEntries(keys.map((key, i) => [key, values[i]!]));
  }

  get backend(): string {
    return this.runner.backend;
  }

  dispose(): void {
    this.runner.dispose();
  }
}
