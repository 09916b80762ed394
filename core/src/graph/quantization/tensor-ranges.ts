import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import type { TensorData } from '../../tensors/tensor-data.js';
import { GraphExecutor } from '../../tfjs/executor.js';
import { defaultSignature } from '../query.js';
import { normalizeTensorRef, parseTensorRef, tensorRef } from '../refs.js';
import type { Graph, TensorRef } from '../types.js';
import { planControlFlow } from '../control-flow/plan.js';
import { INT8_OPS } from './int8-ops.js';
import { tensorDTypes } from './tensor-dtypes.js';

/** The range a float tensor took over the calibration samples. */
export interface TensorRange {
  readonly min: number;
  readonly max: number;
}

export interface RangeOptions {
  readonly logger?: Logger;
  /** Ranges from this percentile (e.g. 99.99) of the low and high tails instead of min and max. */
  readonly percentile?: number;
  /** Called after each sample, for progress displays. */
  readonly onSample?: (done: number, total: number) => void;
}

/** Values kept per tensor for percentiles: enough for 1e-4 tails, bounded in memory. */
const PERCENTILE_RESERVOIR = 200_000;

/**
 * The float tensors an int8 quantizer needs ranges for: the outputs of nodes whose op has an int8
 * form, and the non-constant float tensors they read.
 */
export function int8CandidateTensors(graph: Graph): TensorRef[] {
  const dtypes = tensorDTypes(graph);
  const inControlFlow = controlFlowMembers(graph);
  const isFloat = (ref: TensorRef) => dtypes.get(normalizeTensorRef(ref)) === 'float32';
  const constants = new Set(graph.nodes.filter((n) => n.op === 'Const').map((n) => n.name));
  const wanted = new Set<TensorRef>();
  for (const node of graph.nodes) {
    const rule = INT8_OPS[node.op];
    if (!rule || inControlFlow.has(node.name)) continue;
    const out = tensorRef(node.name, 0);
    if (isFloat(out)) wanted.add(out);
    for (const i of rule.activations(node)) {
      const ref = node.inputs[i];
      const producer = ref === undefined ? undefined : parseTensorRef(ref).node;
      if (producer !== undefined && !constants.has(producer) && !inControlFlow.has(producer) && isFloat(ref!)) wanted.add(normalizeTensorRef(ref!));
    }
  }
  return [...wanted];
}

/** Nodes inside loops and branches: tfjs cannot hand out their values, so they stay float. */
export function controlFlowMembers(graph: Graph): Set<string> {
  return new Set(planControlFlow(graph, new Set(graph.nodes.map((n) => n.name))).regionOf.keys());
}

/**
 * Runs the float graph in tfjs on each sample (keyed by signature input name) and records, per
 * tensor, the min and max it took (or percentiles of them).
 */
export async function collectTensorRanges(
  graph: Graph, samples: readonly Readonly<Record<string, TensorData>>[], options: RangeOptions = {}, tensors: readonly TensorRef[] = int8CandidateTensors(graph),
): Promise<Map<TensorRef, TensorRange>> {
  if (tensors.length === 0) return new Map();
  const signature = defaultSignature(graph);
  const executor = await GraphExecutor.create(graph, options.logger ?? silentLogger);
  const mins = new Map<TensorRef, number>(), maxs = new Map<TensorRef, number>();
  const reservoirs = new Map<TensorRef, { values: Float32Array; seen: number }>();
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  try {
    for (let s = 0; s < samples.length; s++) {
      const sample = samples[s]!;
      const feeds = Object.fromEntries(Object.entries(signature.inputs).map(([key, t]) => [parseTensorRef(t.name).node, sample[key]!]));
      const values = await executor.run(feeds, tensors);
      tensors.forEach((ref, k) => {
        const data = values[k]!.data as ArrayLike<number>;
        let lo = mins.get(ref) ?? Infinity, hi = maxs.get(ref) ?? -Infinity;
        for (let i = 0; i < data.length; i++) {
          const v = data[i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        mins.set(ref, lo);
        maxs.set(ref, hi);
        if (options.percentile !== undefined) keepForPercentile(reservoirs, ref, data, random);
      });
      options.onSample?.(s + 1, samples.length);
    }
  } finally {
    executor.dispose();
  }
  const ranges = new Map<TensorRef, TensorRange>();
  for (const ref of tensors) {
    const min = mins.get(ref), max = maxs.get(ref);
    if (min === undefined || max === undefined || !Number.isFinite(min) || !Number.isFinite(max)) continue;
    const r = reservoirs.get(ref);
    ranges.set(ref, r && options.percentile !== undefined ? percentileRange(r.values.subarray(0, Math.min(r.seen, PERCENTILE_RESERVOIR)), options.percentile) : { min, max });
  }
  return ranges;
}

/** Reservoir sampling, so that percentiles see every sample with equal weight in bounded memory. */
function keepForPercentile(reservoirs: Map<TensorRef, { values: Float32Array; seen: number }>, ref: TensorRef, data: ArrayLike<number>, random: () => number): void {
  let r = reservoirs.get(ref);
  if (!r) reservoirs.set(ref, (r = { values: new Float32Array(PERCENTILE_RESERVOIR), seen: 0 }));
  for (let i = 0; i < data.length; i++) {
    if (r.seen < PERCENTILE_RESERVOIR) r.values[r.seen] = data[i]!;
    else {
      const j = Math.floor(random() * (r.seen + 1));
      if (j < PERCENTILE_RESERVOIR) r.values[j] = data[i]!;
    }
    r.seen++;
  }
}

function percentileRange(values: Float32Array, percentile: number): TensorRange {
  const sorted = Float32Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))]!;
  return { min: at(100 - percentile), max: at(percentile) };
}
