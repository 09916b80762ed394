import {
  attr, attrValue, concreteValues, inferShapes, type ConstantTensor, type Graph, type Node,
} from '@modelport/core';

/** Ops that describe their input's shape: the ones this pass turns into Consts. */
const SHAPE_OPS: ReadonlySet<string> = new Set(['Shape', 'Size', 'Rank']);

export interface FoldShapesReport {
  /** Shape/Size/Rank nodes whose value is proven free of every open dimension and of data, now Consts. */
  readonly folded: number;
  /** Those left: their value depends on an input's open dimensions, on data, or cannot be proven. */
  readonly dynamic: number;
  /** Of the dynamic ones, those inference knows nothing about (behind control flow or an op without a rule). */
  readonly unknown: number;
}

export interface FoldShapesOptions {
  readonly onReport?: (report: FoldShapesReport) => void;
}

function constantNode(node: Node, value: ConstantTensor): Node {
  return { name: node.name, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype(value.dtype), value: { tensor: { dtype: value.dtype, shape: value.shape } } } };
}

/**
 * Replaces Shape, Size and Rank nodes by Consts where their value is proven fixed: symbolic shape
 * inference (core's inferShapes) gives every open input dim a symbol, and a node folds only when
 * its value has no symbol in it. Once input shapes are pinned, whole Shape → StridedSlice → Pack →
 * Reshape chains become constant and fold-constants folds them; with open dims, nothing that
 * varies with them is touched, however it looks at some sizes. Nodes behind control flow,
 * TensorArrays/Lists or ops without a rule are unknown to inference and never folded.
 */
export async function foldShapes(graph: Graph, options: FoldShapesOptions = {}): Promise<Graph> {
  const candidates = graph.nodes.filter((n) => SHAPE_OPS.has(n.op));
  const inference = inferShapes(graph);
  const constants = new Map(graph.constants);
  const replaced = new Map<string, Node>();
  let unknown = 0;
  for (const node of candidates) {
    const facts = inference.facts(`${node.name}:0`);
    const values = concreteValues(facts);
    if (inference.unknownNodes.has(node.name) || !values) {
      if (inference.unknownNodes.has(node.name) || inference.shape(node.inputs[0] ?? '') === null) unknown++;
      continue;
    }
    const dtype = attr.dtype(node, 'out_type', 'int32') === 'int64' ? 'int64' : 'int32';
    const shape = node.op === 'Shape' ? [values.length] : [];
    const value: ConstantTensor = { dtype, shape, values: dtype === 'int64' ? BigInt64Array.from(values, (v) => BigInt(v)) : Int32Array.from(values) };
    constants.set(node.name, value);
    replaced.set(node.name, constantNode(node, value));
  }
  const report: FoldShapesReport = { folded: replaced.size, dynamic: candidates.length - replaced.size, unknown };
  options.onReport?.(report);
  if (replaced.size === 0) return graph;
  return { ...graph, constants, nodes: graph.nodes.map((n) => replaced.get(n.name) ?? n) };
}
