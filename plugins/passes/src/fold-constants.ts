import {
  attrValue, nodeMap, parseTensorRef, silentLogger, sizeOfShape, tensorRef, withGraph,
  type ConstantTensor, type Graph, type Logger, type Node, type TensorRef,
} from '@modelport/core';
import { constantFromTensor, declaredOutputDType } from './constant-from-tensor.js';
import { evaluateConstantTensors } from './evaluate-constants.js';
import { constantNodes } from './constant-nodes.js';
import { canTakeControlInputs } from './op-kinds.js';
import { pinnedTensorRefs } from './pinned-tensors.js';

export const DEFAULT_FOLD_MAX_ELEMENTS = 1_048_576;
export const DEFAULT_FOLD_MAX_GROWTH = 4;
/** Tensors this small (shape vectors, ranges, small tables) are folded whatever their growth: they cost nothing to store. */
export const SMALL_TENSOR_ELEMENTS = 1024;

/** Why a constant node stays computed. */
export type FoldRefusal =
  /** More elements than foldMaxElements. */
  | 'too-many-elements'
  /** More than foldMaxGrowth × the elements of the Consts it is computed from (Tile, Fill, BroadcastTo…). */
  | 'grows-the-weights'
  /** A string or complex result, which tfjs hands back in a form a Const cannot keep exactly. */
  | 'dtype-not-storable'
  /** tfjs failed to compute it (an op it lacks). */
  | 'tfjs-cannot-evaluate'
  /** A graph output or signature tensor names one of its outputs other than :0, which a Const cannot keep. */
  | 'names-a-secondary-output';

export interface FoldConstantsReport {
  /** Nodes other than Consts whose value follows from constants alone. */
  readonly constantNodes: number;
  /** Nodes replaced by Consts: the constant nodes a non-constant node or a graph output reads. */
  readonly replaced: number;
  /** Const nodes written: one per output read, so a multi-output node may give several. */
  readonly created: number;
  /** Nodes left computed, by reason; their inputs are folded instead. */
  readonly refused: Readonly<Partial<Record<FoldRefusal, number>>>;
  /** tfjs runs it took: one, plus one per level of refusals. */
  readonly evaluations: number;
  /** Control inputs dropped: those of constant nodes and those naming them order nothing. */
  readonly controlEdgesDropped: number;
}

export interface FoldConstantsOptions {
  /** Largest folded tensor, in elements. */
  readonly maxElements?: number;
  /** Largest ratio of a folded tensor's elements to those of the Consts it is computed from. */
  readonly maxGrowth?: number;
  readonly logger?: Logger;
  readonly onReport?: (report: FoldConstantsReport) => void;
}

/**
 * Replaces subgraphs computed from constants alone by Consts holding their values, computed by
 * tfjs. Only the frontier is materialised (constant nodes read by non-constant nodes or named as
 * graph tensors); the constant nodes behind it are left for pruning, and control inputs naming
 * constants are dropped (a constant is always ready). A node whose value depends on a feed, state,
 * randomness or control flow is never constant (see `isFoldableOp`), nor is a Const gated by a
 * control input from a conditional node (see `constantNodes`).
 */
export async function foldConstants(source: Graph, options: FoldConstantsOptions = {}): Promise<Graph> {
  const maxElements = options.maxElements ?? DEFAULT_FOLD_MAX_ELEMENTS;
  const maxGrowth = options.maxGrowth ?? DEFAULT_FOLD_MAX_GROWTH;
  const logger = options.logger ?? silentLogger;
  const constant = constantNodes(source);
  const { graph, dropped: controlEdgesDropped } = dropControlEdgesToConstants(source, constant);
  const byName = nodeMap(graph);
  const pinned = pinnedTensorRefs(graph);
  const refused = new Map<string, FoldRefusal>();
  const values = new Map<TensorRef, ConstantTensor>();
  const refuse = (node: Node, reason: FoldRefusal, why: string) => {
    refused.set(node.name, reason);
    logger.debug(`fold-constants: "${node.name}" (${node.op}) stays computed: ${why}`);
  };

  for (const ref of pinned) {
    const { node, index } = parseTensorRef(ref);
    if (index > 0 && constant.has(node) && byName.get(node)!.op !== 'Const') refuse(byName.get(node)!, 'names-a-secondary-output', `"${ref}" is a graph tensor`);
  }

  let evaluations = 0;
  let frontier = findFrontier(graph, byName, constant, refused, pinned);
  for (let pending = frontier.filter((r) => !values.has(r)); pending.length; pending = frontier.filter((r) => !values.has(r))) {
    evaluations++;
    for (const [ref, evaluation] of await evaluateConstantTensors(graph, pending, logger)) {
      const node = byName.get(parseTensorRef(ref).node)!;
      if (refused.has(node.name)) continue;
      if ('error' in evaluation) {
        refuse(node, 'tfjs-cannot-evaluate', evaluation.error.message.split('\n')[0]!);
        continue;
      }
      const t = evaluation.value;
      const elements = sizeOfShape(t.shape);
      const allowed = Math.max(SMALL_TENSOR_ELEMENTS, maxGrowth * leafConstantElements(node, byName, graph));
      if (t.dtype === 'string' || t.dtype === 'complex64') refuse(node, 'dtype-not-storable', `${t.dtype} result`);
      else if (elements > maxElements) refuse(node, 'too-many-elements', `${elements} elements > foldMaxElements ${maxElements}`);
      else if (elements > allowed) refuse(node, 'grows-the-weights', `${elements} elements > ${maxGrowth} × the constants it is computed from`);
      else values.set(ref, constantFromTensor(t, declaredOutputDType(node, parseTensorRef(ref).index, t.dtype)));
    }
    frontier = findFrontier(graph, byName, constant, refused, pinned);
  }

  const result = materialise(graph, frontier, values);
  const refusedCounts: Partial<Record<FoldRefusal, number>> = {};
  for (const reason of refused.values()) refusedCounts[reason] = (refusedCounts[reason] ?? 0) + 1;
  options.onReport?.({
    constantNodes: graph.nodes.filter((n) => constant.has(n.name) && n.op !== 'Const').length,
    replaced: new Set(frontier.map((r) => parseTensorRef(r).node)).size,
    created: frontier.length,
    refused: refusedCounts,
    evaluations,
    controlEdgesDropped,
  });
  return result;
}

/**
 * Drops the control inputs that order nothing: those of constant nodes (they name constant or
 * unconditional nodes), and those naming constant nodes, so that nothing keeps the constants behind
 * a folded node alive. Not from nodes that tfjs reads them from as data (Merge, ConcatV2, AddN…):
 * there the edge stays, and the constant it names is folded like a data input.
 */
function dropControlEdgesToConstants(graph: Graph, constant: Set<string>): { graph: Graph; dropped: number } {
  let dropped = 0;
  const nodes = graph.nodes.map((node) => {
    if (!node.controlInputs || !canTakeControlInputs(node.op)) return node;
    const controlInputs = constant.has(node.name) ? [] : node.controlInputs.filter((c) => !constant.has(c));
    if (controlInputs.length === node.controlInputs.length) return node;
    dropped += node.controlInputs.length - controlInputs.length;
    const { controlInputs: _old, ...rest } = node;
    return controlInputs.length ? { ...rest, controlInputs } : rest;
  });
  return { graph: dropped ? withGraph(graph, { nodes }) : graph, dropped };
}

/**
 * The constant tensors the rest of the graph reads: for each read (data, control, or graph
 * tensor) of a constant node, that tensor, unless the node is refused, in which case its own inputs.
 */
function findFrontier(graph: Graph, byName: Map<string, Node>, constant: Set<string>, refused: Map<string, FoldRefusal>, pinned: Set<TensorRef>): TensorRef[] {
  const frontier = new Set<TensorRef>();
  const expanded = new Set<string>();
  const stack: TensorRef[] = [...pinned];
  for (const node of graph.nodes) {
    if (constant.has(node.name)) continue;
    stack.push(...node.inputs, ...(node.controlInputs ?? []).map((c) => tensorRef(c)));
  }
  while (stack.length) {
    const { node: name, index } = parseTensorRef(stack.pop()!);
    const node = byName.get(name);
    if (!node || !constant.has(name) || node.op === 'Const') continue;
    if (!refused.has(name)) frontier.add(tensorRef(name, index));
    else if (!expanded.has(name)) {
      expanded.add(name);
      stack.push(...node.inputs, ...(node.controlInputs ?? []).map((c) => tensorRef(c)));
    }
  }
  return [...frontier];
}

/** Elements of the distinct Consts a node is computed from: what folding it would replace in the weights. */
function leafConstantElements(node: Node, byName: Map<string, Node>, graph: Graph): number {
  const seen = new Set<string>();
  const stack = [node];
  let total = 0;
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n.name)) continue;
    seen.add(n.name);
    if (n.op === 'Const') total += sizeOfShape(graph.constants.get(n.name)?.shape ?? []);
    for (const ref of n.inputs) {
      const producer = byName.get(parseTensorRef(ref).node);
      if (producer) stack.push(producer);
    }
  }
  return total;
}

function constNode(name: string, value: ConstantTensor): Node {
  return { name, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype(value.dtype), value: { tensor: { dtype: value.dtype, shape: value.shape } } } };
}

/**
 * The graph with each frontier tensor a Const: output 0 takes over its node's name (readers and
 * graph tensors keep their references); another output gets a Const of its own, "<node>/output_<i>".
 */
function materialise(graph: Graph, frontier: readonly TensorRef[], values: Map<TensorRef, ConstantTensor>): Graph {
  if (frontier.length === 0) return graph;
  const byNode = new Map<string, number[]>();
  for (const ref of frontier) {
    const { node, index } = parseTensorRef(ref);
    byNode.set(node, [...(byNode.get(node) ?? []), index].sort((a, b) => a - b));
  }
  const names = new Set(graph.nodes.map((n) => n.name));
  const freshName = (base: string) => {
    let name = base;
    for (let i = 1; names.has(name); i++) name = `${base}_${i}`;
    names.add(name);
    return name;
  };
  const constants = new Map(graph.constants);
  const renamed = new Map<TensorRef, TensorRef>();
  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    const indices = byNode.get(node.name);
    if (!indices) { nodes.push(node); continue; }
    for (const index of indices) {
      const value = values.get(tensorRef(node.name, index))!;
      const name = index === 0 ? node.name : freshName(`${node.name}/output_${index}`);
      if (index > 0) renamed.set(tensorRef(node.name, index), tensorRef(name));
      constants.set(name, value);
      nodes.push(constNode(name, value));
    }
    // Output 0 not read: the node stays, for the constant nodes reading it, which pruning drops.
    if (indices[0] !== 0) nodes.push(node);
  }
  const rewired = renamed.size === 0 ? nodes : nodes.map((n) =>
    n.inputs.some((r) => renamed.has(r)) ? { ...n, inputs: n.inputs.map((r) => renamed.get(r) ?? r) } : n);
  return withGraph(graph, { nodes: rewired, constants });
}
