import {
  attrValue, concreteDims, float16ToFloat32Array, GraphExecutor, ModelportError, outputDType, parseTensorRef, sizeOfShape, tensorRef, allocValues,
  type ConstantTensor, type ControlFlowPlan, type DType, type Graph, type Logger, type Node, type ShapeInference, type TensorData, type TensorRef, type TypedArray,
} from '@modelport/core';
import { isInsideRegion, straightLineNodes } from './control-flow/straight-line.js';
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
  /** Its op sizes it at run time from a shape argument computed then (LiteRT allocates it as it runs), even when the shape is proven. */
  readonly sizedAtRunTime?: boolean;
  /** The shape holds for every input value: core's shape inference proved it (or it is a Const's, a pinned input's). */
  readonly proven?: boolean;
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
  return { dtype, shape: c.shape, value: valuesAs(dtype, raw), proven: true };
}

/**
 * Learns the dtype and shape of every tensor in `refs`, and the value of those that do not depend
 * on the input data.
 *
 * Shapes come from core's symbolic inference at the pinned input shapes wherever it proves them.
 * The rest comes from one tfjs run of the graph at those shapes (the probe): the shapes core leaves
 * unknown (inside or after control flow, after an op without a shape rule, or decided by data,
 * where the probe's shape is what one run saw) and the values of foldable tensors (tfjs computes
 * constant arithmetic exactly, with every op the importer produces). Where both give a shape they
 * must agree; a disagreement is a wrong shape rule in core. Tensors inside loops and conds come
 * from a second run of the graph made straight-line (straight-line.ts).
 */
export async function inferTensorFacts(
  graph: Graph, nodes: readonly Node[], { foldable, dynamic, sizedByArguments }: ShapeDependence, inference: ShapeInference, pinned: ReadonlyMap<string, readonly number[]>,
  refs: ReadonlySet<TensorRef>, logger: Logger, plan?: ControlFlowPlan,
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
      if (dtype) facts.set(tensorRef(node.name), { dtype, shape: pinned.get(node.name) ?? [], proven: true });
    }
  }

  const inside = (ref: TensorRef) => plan !== undefined && isInsideRegion(ref, plan, byName);
  const opOf = (r: TensorRef) => byName.get(parseTensorRef(r).node)?.op;
  const wanted = [...refs].filter((r) => !facts.has(r) && opOf(r) !== undefined && !NO_FACTS.has(opOf(r)!) && !isLoopMerge(r, plan));
  const provenShape = (ref: TensorRef) => concreteDims(inference.shape(ref));
  // A proven shape is never dynamic; one the probe saw is, when the node's shape depends on data.
  const flags = (ref: TensorRef, proven: boolean) => {
    const node = parseTensorRef(ref).node;
    return { ...(proven ? { proven: true } : dynamic.has(node) ? { dynamic: true } : {}), ...(sizedByArguments.has(node) ? { sizedAtRunTime: true } : {}) };
  };
  const toProbe: TensorRef[] = [];
  for (const ref of wanted) {
    const shape = provenShape(ref);
    const dtype = computeDType(dtypeOf(ref) ?? 'float32');
    if (shape && dtype && !foldable.has(parseTensorRef(ref).node)) facts.set(ref, { dtype, shape, ...flags(ref, true) });
    else toProbe.push(ref);
  }
  const outer = toProbe.filter((r) => !inside(r));
  const inner = toProbe.filter(inside);
  const feeds = probeFeeds(pinned, byName);
  const runs: [readonly Node[], TensorRef[]][] = [[nodes, outer]];
  if (plan && inner.length) runs.push([straightLineNodes(nodes, plan), inner]);
  for (const [runNodes, runRefs] of runs) {
    if (runRefs.length === 0) continue;
    const learnt = await probeRun(graph, runNodes, pinned, feeds, runRefs, foldable, dtypeOf, logger);
    for (const [ref, f] of learnt) {
      const proven = provenShape(ref);
      if (proven) assertSameShape(ref, proven, f.shape, byName);
      facts.set(ref, { ...f, ...flags(ref, proven !== undefined) });
    }
  }
  return facts;
}

/** Core's proven shape and the probe's must be one: else a shape rule of core is wrong, and the export stops rather than trust either. */
function assertSameShape(ref: TensorRef, proven: readonly number[], probed: readonly number[], byName: ReadonlyMap<string, Node>): void {
  if (proven.join() === probed.join() && proven.length === probed.length) return;
  const { node, index } = parseTensorRef(ref);
  const op = byName.get(node)?.op ?? '?';
  throw new ModelportError(`internal error: shape inference proves output ${index} is [${proven.join(', ')}] but tfjs computed [${probed.join(', ')}] at the pinned input shapes; core's shape rule for ${op} is wrong`, { node, op });
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
