import {
  attr, attrValue, concreteShape, consumers, GraphExecutor, parseTensorRef, placeholderTensor, randomTensor, seededRandom,
  type ConstantTensor, type DType, type Graph, type Logger, type Node, type TensorData,
} from '@modelport/core';
import { isControlFlowOp, isTensorContainerOp } from './op-kinds.js';

/** Ops that describe their input's shape: the ones this pass turns into Consts. */
const SHAPE_OPS: ReadonlySet<string> = new Set(['Shape', 'Size', 'Rank']);

/** Ops whose output shape depends on input values, not only on input shapes. */
const DATA_DEPENDENT_SHAPE_OPS = /^(Where|NonMaxSuppression|Unique|SparseToDense|Bincount|DenseBincount|RaggedTensor|StringSplit|BooleanMask)/;

export interface FoldShapesReport {
  /** Shape/Size/Rank nodes whose value is the same at every probed input size, now Consts. */
  readonly folded: number;
  /** Those whose value changes with the dynamic dimensions left, or that depend on data. */
  readonly dynamic: number;
  readonly probes: number;
}

export interface FoldShapesOptions {
  readonly logger?: Logger;
  readonly onReport?: (report: FoldShapesReport) => void;
}

/** Everything downstream of the nodes `seeds` picks, by data or control. */
function downstreamOf(graph: Graph, seeds: (n: Node) => boolean): Set<string> {
  const readers = consumers(graph);
  const out = new Set<string>();
  const stack = graph.nodes.filter(seeds).map((n) => n.name);
  while (stack.length) {
    const name = stack.pop()!;
    for (const r of readers.get(name) ?? []) if (!out.has(r.name)) { out.add(r.name); stack.push(r.name); }
  }
  return out;
}

/**
 * Inputs for one probe run: dynamic dimensions get `batch` on axis 0 and `size` elsewhere, values
 * are random with `seed`. Two probes differ in both, so a shape that is the same in both depends
 * neither on the dynamic dimensions nor on the data.
 */
function probeFeeds(graph: Graph, batch: number, size: number, seed: number): Record<string, TensorData> {
  const random = seededRandom(seed);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  return Object.fromEntries(graph.inputs.map((name) => {
    const spec = placeholderTensor(byName.get(name)!);
    const shape = concreteShape(spec.shape, size).map((d, axis) => (spec.shape?.[axis] === -1 && axis === 0 ? batch : d));
    return [name, randomTensor(spec.dtype as DType, shape, random)];
  }));
}

function sameValues(a: TensorData, b: TensorData): boolean {
  if (a.shape.join(',') !== b.shape.join(',')) return false;
  const x = a.data as ArrayLike<unknown>, y = b.data as ArrayLike<unknown>;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function constantNode(node: Node, value: ConstantTensor): Node {
  return { name: node.name, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype(value.dtype), value: { tensor: { dtype: value.dtype, shape: value.shape } } } };
}

/**
 * Replaces Shape, Size and Rank nodes by Consts where their value is fixed: once input shapes are
 * pinned, whole Shape → StridedSlice → Pack → Reshape chains become constant and fold-constants
 * folds them. Staticness is measured, not assumed: the graph runs twice (two sizes for every
 * dynamic dimension, two random seeds) and only values equal in both are folded. Nodes downstream
 * of control flow, TensorArrays/Lists, data-dependent shapes (Where, NMS, …) or inputs of unknown
 * rank are never folded, whatever the probes say.
 */
export async function foldShapes(graph: Graph, options: FoldShapesOptions = {}): Promise<Graph> {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const unknownRank = new Set(graph.inputs.filter((n) => placeholderTensor(byName.get(n)!).shape === null));
  const tainted = downstreamOf(graph, (n) => isControlFlowOp(n.op) || isTensorContainerOp(n.op) || DATA_DEPENDENT_SHAPE_OPS.test(n.op) || unknownRank.has(n.name));
  const candidates = graph.nodes.filter((n) => SHAPE_OPS.has(n.op) && !tainted.has(n.name) && !tainted.has(parseTensorRef(n.inputs[0] ?? '').node));
  const report = (r: FoldShapesReport) => { options.onReport?.(r); return graph; };
  if (candidates.length === 0) return report({ folded: 0, dynamic: 0, probes: 0 });

  const fetches = candidates.map((n) => `${n.name}:0`);
  const executor = await GraphExecutor.create(graph, options.logger);
  let first: TensorData[], second: TensorData[];
  try {
    first = await executor.run(probeFeeds(graph, 1, 64, 11), fetches);
    second = await executor.run(probeFeeds(graph, 2, 96, 23), fetches);
  } catch (e) {
    options.logger?.debug(`fold-shapes: the probe runs failed (${(e as Error).message.split('\n')[0]}); nothing folded`);
    return report({ folded: 0, dynamic: candidates.length, probes: 0 });
  } finally {
    executor.dispose();
  }

  const constants = new Map(graph.constants);
  const replaced = new Map<string, Node>();
  candidates.forEach((node, i) => {
    if (!sameValues(first[i]!, second[i]!)) return;
    const dtype = attr.dtype(node, 'out_type', 'int32') === 'int64' ? 'int64' : 'int32';
    const values = dtype === 'int64' ? BigInt64Array.from(first[i]!.data as Int32Array, (v) => BigInt(v)) : Int32Array.from(first[i]!.data as Int32Array);
    const value: ConstantTensor = { dtype, shape: [...first[i]!.shape], values };
    constants.set(node.name, value);
    replaced.set(node.name, constantNode(node, value));
  });
  options.onReport?.({ folded: replaced.size, dynamic: candidates.length - replaced.size, probes: 2 });
  if (replaced.size === 0) return graph;
  return { ...graph, constants, nodes: graph.nodes.map((n) => replaced.get(n.name) ?? n) };
}
