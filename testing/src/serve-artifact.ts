import {
  compareTensors, concreteShape, coreServices, createContainer, DEFAULT_SIGNATURE, GraphExecutor, randomTensor, seededRandom,
  type DType, type Graph, type OutputComparison, type Predictor, type TensorData,
} from '@modelport/core';
import runtimeTfjs from '@modelport/runtime-tfjs';
import { pluginAndOptions, type PluginEntry } from './run-pipeline.js';

export interface ServeArtifactOptions {
  /** The runtime under test (and adapters, or anything it needs); the tfjs runtime is added for 'tfjs'. */
  readonly plugins?: readonly PluginEntry[];
  /** The artifact format: the key of the `serve` hook. */
  readonly format: string;
  /** The artifact's main file (PipelineRun.file(target)). */
  readonly path: string;
  /** Per-model serve options, as a server passes them. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Loads an artifact through the `serve` hook as servers and validation do; dispose the Predictor when done. */
export async function serveArtifact(options: ServeArtifactOptions): Promise<Predictor> {
  const container = createContainer();
  const { host, hooks, logger } = coreServices(container);
  for (const entry of options.plugins ?? []) await host.apply(...pluginAndOptions(entry));
  if (options.format === 'tfjs' && host.providers('serve', 'tfjs').length === 0) await host.apply(runtimeTfjs);
  const predictor = await hooks.serve.for(options.format).promise({ format: options.format, path: options.path, logger, ...(options.options ? { options: options.options } : {}) });
  if (!predictor) throw new Error(`no plugin answered serve for format "${options.format}" (${options.path}); pass the runtime that serves it in plugins`);
  return predictor;
}

/** Runs a graph itself with tfjs on inputs given by signature input name; outputs by signature output name. */
export async function runSource(graph: Graph, inputs: Readonly<Record<string, TensorData>>, signature = DEFAULT_SIGNATURE): Promise<Record<string, TensorData>> {
  const sig = graph.signatures[signature];
  if (!sig) throw new Error(`the graph has no signature "${signature}" (it has ${Object.keys(graph.signatures).join(', ') || 'none'})`);
  const executor = await GraphExecutor.create(graph);
  try {
    return await executor.runSignature(sig, inputs);
  } finally {
    executor.dispose();
  }
}

/** Seeded random inputs for every input of a signature (unknown dimensions become 1). */
export function randomInputs(graph: Graph, signature = DEFAULT_SIGNATURE, seed = 1): Record<string, TensorData> {
  const random = seededRandom(seed);
  const sig = graph.signatures[signature];
  if (!sig) throw new Error(`the graph has no signature "${signature}"`);
  return Object.fromEntries(Object.entries(sig.inputs).map(([name, t]) => [name, randomTensor(t.dtype as DType, concreteShape(t.shape), random)]));
}

/**
 * Feeds the same seeded inputs to a served artifact and to its source graph and checks every
 * output within `tolerance` × max|source| (core's comparison, as validation does).
 */
export async function expectPredictorMatchesSource(
  predictor: Predictor, source: Graph, options: { tolerance?: number; signature?: string; seed?: number } = {},
): Promise<OutputComparison[]> {
  const signature = options.signature ?? DEFAULT_SIGNATURE;
  const inputs = randomInputs(source, signature, options.seed ?? 1);
  const [actual, reference] = [await predictor.predict(inputs, signature), await runSource(source, inputs, signature)];
  const comparisons = Object.keys(reference).map((name) => (actual[name]
    ? compareTensors(name, actual[name]!, reference[name]!, options.tolerance ?? 1e-4)
    : { output: name, shape: reference[name]!.shape, maxAbsDiff: Infinity, maxAbsRef: 0, cosine: 0, ok: false, problem: 'missing from the artifact\'s outputs' }));
  const off = comparisons.filter((c) => !c.ok);
  if (off.length) throw new Error(`the ${predictor.format} artifact differs from its source: ${off.map((c) => `output "${c.output}": ${c.problem}`).join('; ')}`);
  return comparisons;
}
