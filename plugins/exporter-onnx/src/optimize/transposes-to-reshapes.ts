import type { OnnxGraph, OnnxNode } from '../onnx-model.js';
import { intsAttr } from '../onnx-model.js';
import { shapeOfValue, nameAllocator, type ValueShapes } from './value-shapes.js';
import { typedArrayOf } from '../tensor-math.js';
import { movesOnlyUnitAxes } from './sink-transposes.js';

/**
 * A transpose that moves only size-1 axes keeps the element order: it is a Reshape, which costs
 * nothing ([N, C, 1, 1] → [N, 1, 1, C] after a global pool, for one). At most one unknown axis.
 */
export function transposesToReshapes(graph: OnnxGraph, shapes: ValueShapes): void {
  const unique = nameAllocator(graph);
  graph.nodes = graph.nodes.map((node): OnnxNode => {
    if (node.opType !== 'Transpose') return node;
    const perm = intsAttr(node, 'perm');
    const shape = shapeOfValue(graph, shapes, node.inputs[0]!);
    if (!perm || !shape || shape.length !== perm.length) return node;
    if (!movesOnlyUnitAxes(shape, perm)) return node;
    const target = perm.map((p) => shape[p]!);
    if (target.includes(0)) return node; // 0 means "copy" to Reshape
    const name = unique(`${node.name}/shape`);
    graph.initializers.set(name, { name, dtype: 'int64', dims: [target.length], data: typedArrayOf('int64', target) });
    return { name: node.name, opType: 'Reshape', inputs: [node.inputs[0]!, name], outputs: node.outputs, attrs: {} };
  });
  mergeReshapes(graph);
}

/** Reshape(Reshape(x, a), b) = Reshape(x, b) when b is a constant with no 0 ("copy") entry. */
function mergeReshapes(graph: OnnxGraph): void {
  const producer = new Map<string, OnnxNode>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  for (const node of graph.nodes) {
    if (node.opType !== 'Reshape') continue;
    const target = graph.initializers.get(node.inputs[1]!);
    const inner = producer.get(node.inputs[0]!);
    if (!target || inner?.opType !== 'Reshape' || inner.attrs.allowzero) continue;
    if (Array.from(target.data as BigInt64Array, Number).includes(0)) continue;
    node.inputs[0] = inner.inputs[0]!;
  }
}
