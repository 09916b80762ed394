import {
  attrValue, float16ToFloat32Array, GraphExecutor, ModelportError, parseTensorRef, sizeOfShape, tensorRef, allocValues,
  type ConstantTensor, type ControlFlowPlan, type DType, type Graph, type Logger, type Node, type TensorData, type TensorRef, type TypedArray,
} from '@modelport/core';
import { isInsideRegion, straightLineNodes } from './control-flow/straight-line.js';
import { outputDType } from './infer-dtypes.js';
import type { ShapeDependence } from './shape-dependence.js';
import { computeDType, valuesAs, type TfliteDType } from './tflite-dtype.js';

/** What the exporter knows of a tensor of the IR once input shapes are pinned. */
export interface TensorFacts {
  readonly dtype: TfliteDType;
  readonly shape: readonly number[];
  /** Contents, when they do not depend on the input data: constants and what is computed from them and from shapes. */
  readonly value?: TypedArray;
  /** The shape is only known at run time (after Where / NMS, or sized by an input value): `shape` is what the probe run saw. */
  readonly dynamic?: boolean;
}

/**
 * Ops whose outputs are TensorArray / TensorList handles or flows, or loop plumbing: the exporter
 * needs no facts of them (tfjs cannot always hand them out: a list's handle is disposed early).
 */
const NO_FACTS = new Set(['TensorArrayV3', 'TensorListReserve', 'TensorListFromTensor', 'TensorListSetItem', 'TensorArrayWriteV3', 'TensorArrayScatterV3', 'Enter', 'NextIteration', 'LoopCond', 'Switch']);
/** Folded values larger than this stay computed at run time (a Fill or Tile of a big shape would bloat the file). */
const FOLD_LIMIT = 1 << 22;

/** The value of a Const node as the exporter computes with it (int64 → int32, float16 → float32 …). */
export function constantFacts(c: ConstantTensor): TensorFacts | undefined {
  const dtype = computeDType(c.dtype);
  if (!dtype) return undefined;
  const raw = c.dtype === 'float16' ? float16ToFloat32Array(c.values as Uint16Array) : c.values as TypedArray;
  return { dtype, shape: c.shape, value: valuesAs(dtype, raw) };
}

/**
 * Learns the dtype and shape of every tensor in `refs`, and the value of those that do not depend
 * on the input data, by running the graph once in tfjs at the pinned input shapes.
 *
 * Why tfjs and not a shape function per op: tfjs is the reference the export is validated against,
 * it knows every op the importer produces, and it gives exact values for folding shape arithmetic
 * (Shape → StridedSlice → Pack → Reshape) without a second implementation of each op. Only the
 * shapes of computed tensors (a Shape node per tensor) and folded values travel back. Tensors inside
 * loops and conds come from a second run of the graph made straight-line (straight-line.ts).
 */
export async function inferTensorFacts(
  graph: Graph, nodes: readonly Node[], { foldable, dynamic }: ShapeDependence, pinned: ReadonlyMap<string, readonly number[]>, refs: ReadonlySet<TensorRef>, logger: Logger,
  plan?: ControlFlowPlan,
): Promise<Map<TensorRef, TensorFacts>> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const facts = new Map<TensorRef, TensorFacts>();
  const irDTypes = new Map<TensorRef, string>();
  const dtypeOf = (ref: TensorRef) => irDTypes.get(ref);

  for (const node of nodes) {
    const width = outputWidth(node, refs);
    for (let i = 0; i < width; i++) {
      const d = outputDType(node, i, (k) => (node.inputs[k] ? dtypeOf(node.inputs[k]!) : undefined));
      if (d) irDTypes.set(tensorRef(node.name, i), d);
    }
    if (node.op === 'Const') {
      const c = graph.constants.get(node.name);
      const f = c && constantFacts(c);
      if (f) facts.set(tensorRef(node.name), f);
    } else if (node.op === 'Placeholder') {
      const dtype = computeDType(attrDType(node));
      if (dtype) facts.set(tensorRef(node.name), { dtype, shape: pinned.get(node.name) ?? [] });
    }
  }

  const inside = (ref: TensorRef) => plan !== undefined && isInsideRegion(ref, plan, byName);
  const opOf = (r: TensorRef) => byName.get(parseTensorRef(r).node)?.op;
  const wanted = [...refs].filter((r) => !facts.has(r) && opOf(r) !== undefined && !NO_FACTS.has(opOf(r)!) && !isLoopMerge(r, plan));
  const outer = wanted.filter((r) => !inside(r));
  const inner = wanted.filter(inside);
  const feeds = probeFeeds(pinned, byName);
  const runs: [readonly Node[], TensorRef[]][] = [[nodes, outer]];
  if (plan && inner.length) runs.push([straightLineNodes(nodes, plan), inner]);
  for (const [runNodes, runRefs] of runs) {
    if (runRefs.length === 0) continue;
    const learnt = await probeRun(graph, runNodes, pinned, feeds, runRefs, foldable, dtypeOf, logger);
    for (const [ref, f] of learnt) {
      facts.set(ref, dynamic.has(parseTensorRef(ref).node) ? { ...f, dynamic: true } : f);
    }
  }
  return facts;
}

/**
 * Probe inputs: only shapes matter, so every number is 1: an integer division by 0 traps in tfjs'
 * wasm kernels, and a size computed from a float input (rvm's downsample ratio) must not come out
 * empty (XNNPACK aborts the tfjs module on a zero-size resize).
 */
function probeFeeds(pinned: ReadonlyMap<string, readonly number[]>, byName: ReadonlyMap<string, Node>): Record<string, TensorData> {
  const feeds: Record<string, TensorData> = {};
  for (const [name, shape] of pinned) {
    const node = byName.get(name);
    if (!node) continue;
    const dtype = attrDType(node) as DType;
    const data = allocValues(dtype, sizeOfShape(shape));
    if (data instanceof BigInt64Array) data.fill(1n); else if (dtype !== 'bool') data.fill(1);
    feeds[name] = { dtype, shape: [...shape], data };
  }
  return feeds;
}

/** One tfjs run of `nodes`: the value of each foldable ref, the shape of the others. */
async function probeRun(
  graph: Graph, nodes: readonly Node[], pinned: ReadonlyMap<string, readonly number[]>, feeds: Record<string, TensorData>, refs: readonly TensorRef[],
  foldable: ReadonlySet<string>, dtypeOf: (ref: TensorRef) => string | undefined, logger: Logger,
): Promise<Map<TensorRef, TensorFacts>> {
  const probes: { ref: TensorRef; fetch: TensorRef; kind: 'value' | 'shape' }[] = [];
  const extra: Node[] = [];
  for (const ref of refs) {
    if (foldable.has(parseTensorRef(ref).node)) probes.push({ ref, fetch: ref, kind: 'value' });
    else {
      const name = `modelport_shape_${extra.length}`;
      extra.push({ name, op: 'Shape', inputs: [ref], attrs: { out_type: attrValue.dtype('int32') } });
      probes.push({ ref, fetch: tensorRef(name), kind: 'shape' });
    }
  }
  const probeGraph: Graph = { ...graph, nodes: [...nodes.map((n) => probeNode(n, pinned)), ...extra], outputs: [], signatures: {} };
  let results: TensorData[];
  let executor: GraphExecutor | undefined;
  try {
    executor = await GraphExecutor.create(probeGraph, logger);
    results = await executor.run(feeds, probes.map((p) => p.fetch));
  } catch (e) {
    throw new ModelportError(`tfjs could not run the graph at the pinned input shapes to learn tensor shapes: ${(e as Error).message}`, {}, { cause: e });
  } finally {
    executor?.dispose();
  }
  const facts = new Map<TensorRef, TensorFacts>();
  probes.forEach((p, i) => {
    const r = results[i]!;
    if (p.kind === 'value') {
      const dtype = computeDType(r.dtype);
      if (!dtype || typeof (r.data as unknown[])[0] === 'string') return;
      const big = sizeOfShape(r.shape) > FOLD_LIMIT;
      facts.set(p.ref, { dtype, shape: r.shape, ...(big ? {} : { value: valuesAs(dtype, r.data as TypedArray) }) });
    } else {
      const dtype = computeDType(dtypeOf(p.ref) ?? 'float32');
      if (dtype) facts.set(p.ref, { dtype, shape: Array.from(r.data as Int32Array) });
    }
  });
  return facts;
}

/** How many outputs of a node are referenced (its outputs are numbered from 0). */
function outputWidth(node: Node, refs: ReadonlySet<TensorRef>): number {
  let width = 1;
  for (const ref of refs) {
    const { node: n, index } = parseTensorRef(ref);
    if (n === node.name) width = Math.max(width, index + 1);
  }
  return width;
}

function attrDType(node: Node): string {
  const v = node.attrs.dtype;
  return v && 'type' in v ? v.type : 'float32';
}

/** A node as the probe run needs it: pinned Placeholder shape, no control edges (they may point at pruned nodes). */
function probeNode(node: Node, pinned: ReadonlyMap<string, readonly number[]>): Node {
  const { controlInputs: _, ...rest } = node;
  const shape = node.op === 'Placeholder' ? pinned.get(node.name) : undefined;
  return shape ? { ...rest, attrs: { ...node.attrs, shape: attrValue.shape(shape) } } : rest;
}

/** A loop variable's Merge: its value changes per iteration, so no single probe describes it. */
function isLoopMerge(ref: TensorRef, plan: ControlFlowPlan | undefined): boolean {
  const node = parseTensorRef(ref).node;
  const region = plan?.regionOf.get(node);
  return region?.kind === 'loop' && region.vars.some((v) => v.merge.name === node);
}
