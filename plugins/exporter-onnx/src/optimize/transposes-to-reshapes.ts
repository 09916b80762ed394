import type { OnnxGraph, OnnxNode } from '../onnx-model.js';
import { intsAttr } from '../onnx-model.js';
import { shapeOfValue, nameAllocator, type ValueShapes } from './value-shapes.js';
import { typedArrayOf } from '../tensor-math.js';

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
    if (shape.filter((d) => d < 0).length > 1) return node;
    const moved = perm.filter((p) => shape[p] !== 1);
    if (!moved.every((p, i) => i === 0 || moved[i - 1]! < p)) return node;
    const target = perm.map((p) => shape[p]!);
    if (target.includes(0)) return node; // 0 means "copy" to Reshape
    const name = unique(`${node.name}/shape`);
    graph.initializers.set(name, { name, dtype: 'int64', dims: [target.length], data: typedArrayOf('int64', target) });
    return { name: node.name, opType: 'Reshape', inputs: [node.inputs[0]!, name], outputs: node.outputs, attrs: {} };
  });
}
