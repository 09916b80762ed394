// Shared by the layers*.test.ts files: random weights, random inputs, and the comparison of the
// converted graph run by tfjs's graph executor against model.predict.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import {
  assertValidGraph, compareTensors, fromTfTensor, GraphExecutor, initBackend, relativeDiff, seededRandom,
  type DType, type Graph, type TensorData,
} from '@modelport/core';
import { graphFromLayersModel } from '../src/layers/index.js';

/** The tolerance a converted layers model must meet: max |Δ| ≤ 1e-5 · max |ref| per output. */
export const TOLERANCE = 1e-5;

let worst = 0;
/** The largest relative difference any comparison in this process has seen. */
export function worstRelativeDiff(): number {
  return worst;
}

/**
 * Replaces every weight with seeded uniform values in [-1, 1) (variances in [0.5, 1.5)), so that
 * biases, BN statistics and PReLU slopes are not their zero/one initial values.
 */
export function randomizeWeights(model: tf.LayersModel, seed = 1): void {
  const values = model.weights.map((w, i) => {
    const [lo, hi] = /variance/.test(w.originalName ?? w.name) ? [0.5, 1.5] : [-1, 1];
    return tf.randomUniform(w.shape as number[], lo, hi, 'float32', seed * 1000 + i);
  });
  model.setWeights(values);
  tf.dispose(values);
}

export interface CompareOptions {
  readonly seed?: number;
  /** Size of unknown non-batch dimensions in the random inputs. */
  readonly fill?: number;
  readonly batch?: number;
  /** Makes input i (default: floats uniform in [-1, 1)). */
  readonly makeInput?: (index: number, shape: number[], random: () => number) => TensorData;
}

function concrete(shape: readonly (number | null)[], batch: number, fill: number): number[] {
  return shape.map((d, i) => (d !== null && d >= 0 ? d : i === 0 ? batch : fill));
}

function uniformInput(shape: number[], random: () => number): TensorData {
  const size = shape.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', shape, data: Float32Array.from({ length: size }, () => random() * 2 - 1) };
}

/** Integer ids in [0, n) for Embedding inputs. */
export function idsInput(n: number, dtype: DType = 'float32') {
  return (_i: number, shape: number[], random: () => number): TensorData => {
    const size = shape.reduce((a, b) => a * b, 1);
    const ids = Array.from({ length: size }, () => Math.floor(random() * n));
    return { dtype, shape, data: dtype === 'int32' ? Int32Array.from(ids) : Float32Array.from(ids) };
  };
}

/**
 * Converts the model, checks the graph is well formed, runs it with GraphExecutor and compares
 * every output with model.predict on the same random inputs. Returns the graph for further checks.
 */
export async function expectSameAsPredict(model: tf.LayersModel, options: CompareOptions = {}): Promise<Graph> {
  await initBackend();
  const graph = graphFromLayersModel(model);
  assertValidGraph(graph, `graph of ${model.name}`);
  const random = seededRandom(options.seed ?? 7);
  const inputs = model.inputs.map((t, i) => {
    const shape = concrete(t.shape, options.batch ?? 2, options.fill ?? 5);
    return options.makeInput ? options.makeInput(i, shape, random) : uniformInput(shape, random);
  });
  const feeds = Object.fromEntries(graph.inputs.map((name, i) => [name, inputs[i]!]));
  const executor = await GraphExecutor.create(graph);
  const tensors = inputs.map((t) => tf.tensor(t.data as Float32Array, [...t.shape], t.dtype as tf.DataType));
  try {
    const predicted = model.predict(tensors.length === 1 ? tensors[0]! : tensors);
    const refs = Array.isArray(predicted) ? predicted : [predicted];
    const expected = await Promise.all(refs.map(fromTfTensor));
    tf.dispose(refs);
    const actual = await executor.run(feeds);
    expect(actual).to.have.length(expected.length);
    expected.forEach((ref, i) => {
      const c = compareTensors(model.outputNames?.[i] ?? `output ${i}`, actual[i]!, ref, TOLERANCE);
      worst = Math.max(worst, relativeDiff(c));
      expect(c.ok, `${model.name} output ${i}: ${c.problem}`).to.equal(true);
    });
  } finally {
    tf.dispose(tensors);
    executor.dispose();
  }
  return graph;
}

/** The ops of a graph, without Placeholders and Consts, in order. */
export function opsOf(graph: Graph): string[] {
  return graph.nodes.filter((n) => n.op !== 'Const' && n.op !== 'Placeholder').map((n) => n.op);
}

/** Converts the model and runs the graph on the given inputs (for layers tfjs itself cannot run). */
export async function runConverted(model: tf.LayersModel, inputs: readonly TensorData[]): Promise<TensorData[]> {
  await initBackend();
  const graph = graphFromLayersModel(model);
  assertValidGraph(graph, `graph of ${model.name}`);
  const executor = await GraphExecutor.create(graph);
  try {
    return await executor.run(Object.fromEntries(graph.inputs.map((name, i) => [name, inputs[i]!])));
  } finally {
    executor.dispose();
  }
}

/** Compares with a reference computed by tfjs ops, under the same tolerance. */
export async function expectClose(actual: TensorData, reference: tf.Tensor, label: string): Promise<void> {
  const c = compareTensors(label, actual, await fromTfTensor(reference), TOLERANCE);
  worst = Math.max(worst, relativeDiff(c));
  expect(c.ok, `${label}: ${c.problem}`).to.equal(true);
}

// MODELPORT_REPORT_DIFF=1 prints the worst relative difference of the run (for reports and tuning).
if (process.env.MODELPORT_REPORT_DIFF) after(() => { process.stderr.write(`layers importer: worst max|Δ|/max|ref| = ${worst.toExponential(2)}\n`); });
