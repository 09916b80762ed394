import {
  attrValue, float16ToFloat32Array, GraphExecutor, ModelportError, parseTensorRef, sizeOfShape, tensorRef, allocValues,
  type ConstantTensor, type DType, type Graph, type Logger, type Node, type TensorData, type TensorRef, type TypedArray,
} from '@modelport/core';
import { outputDType } from './infer-dtypes.js';
import { computeDType, valuesAs, type TfliteDType } from './tflite-dtype.js';

/** What the exporter knows of a tensor of the IR once input shapes are pinned. */
export interface TensorFacts {
  readonly dtype: TfliteDType;
  readonly shape: readonly number[];
  /** Contents, when they do not depend on the input data: constants and what is computed from them and from shapes. */
  readonly value?: TypedArray;
}

// Ops whose output is not a function of their inputs, or whose shape depends on input values.
const NOT_FOLDABLE = new Set(['Placeholder', 'PlaceholderWithDefault', 'RandomUniform', 'RandomStandardNormal', 'TruncatedNormal', 'RandomUniformInt', 'Multinomial', 'NoOp']);
const DATA_DEPENDENT_SHAPE = new Set(['Where', 'NonMaxSuppressionV2', 'NonMaxSuppressionV3', 'NonMaxSuppressionV4', 'NonMaxSuppressionV5', 'Unique', 'SparseToDense']);
/** Ops that read only the shape of their input. */
const SHAPE_READERS = new Set(['Shape', 'ShapeN', 'Size', 'Rank']);
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
 * shapes of computed tensors (a Shape node per tensor) and folded values travel back.
 */
export async function inferTensorFacts(
  graph: Graph, nodes: readonly Node[], pinned: ReadonlyMap<string, readonly number[]>, refs: ReadonlySet<TensorRef>, logger: Logger,
): Promise<Map<TensorRef, TensorFacts>> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const foldable = foldableNodes(nodes);
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

  const probes: { ref: TensorRef; fetch: TensorRef; kind: 'value' | 'shape' }[] = [];
  const extra: Node[] = [];
  for (const ref of refs) {
    if (facts.has(ref)) continue;
    const node = byName.get(parseTensorRef(ref).node);
    if (!node) continue;
    if (foldable.has(node.name)) probes.push({ ref, fetch: ref, kind: 'value' });
    else {
      const name = `modelport_shape_${extra.length}`;
      extra.push({ name, op: 'Shape', inputs: [ref], attrs: { out_type: attrValue.dtype('int32') } });
      probes.push({ ref, fetch: tensorRef(name), kind: 'shape' });
    }
  }
  if (probes.length === 0) return facts;

  const probeGraph: Graph = { ...graph, nodes: [...nodes.map((n) => probeNode(n, pinned)), ...extra], outputs: [], signatures: {} };
  const feeds: Record<string, TensorData> = {};
  for (const [name, shape] of pinned) {
    const node = byName.get(name);
    if (!node) continue;
    const dtype = attrDType(node) as DType;
    const data = allocValues(dtype, sizeOfShape(shape));
    // Only shapes matter: integers are 1 (an integer division by 0 traps in tfjs' wasm kernels), the rest 0.
    if (data instanceof BigInt64Array) data.fill(1n); else if (!dtype.startsWith('float') && dtype !== 'bool') data.fill(1);
    feeds[name] = { dtype, shape, data };
  }
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

/**
 * Nodes whose values are known at export time: Consts, readers of static shapes, and what is
 * computed from those only. A shape read after an op whose output shape depends on data (Where,
 * NMS) is not static.
 */
export function foldableNodes(nodes: readonly Node[]): Set<string> {
  const foldable = new Set<string>();
  const dynamicShape = new Set<string>();
  for (const node of nodes) {
    const producers = node.inputs.map((r) => parseTensorRef(r).node);
    if (DATA_DEPENDENT_SHAPE.has(node.op) || producers.some((p) => dynamicShape.has(p))) dynamicShape.add(node.name);
    if (NOT_FOLDABLE.has(node.op)) continue;
    if (node.op === 'Const') { foldable.add(node.name); continue; }
    if (SHAPE_READERS.has(node.op)) {
      if (!producers.some((p) => dynamicShape.has(p))) foldable.add(node.name);
      continue;
    }
    if (producers.length > 0 && producers.every((p) => foldable.has(p))) foldable.add(node.name);
  }
  return foldable;
}
