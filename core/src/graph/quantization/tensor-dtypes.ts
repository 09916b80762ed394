import { outputDType } from '../output-dtype.js';
import { placeholderTensor } from '../query.js';
import { normalizeTensorRef, parseTensorRef, tensorRef } from '../refs.js';
import type { Graph, TensorRef } from '../types.js';

/**
 * The dtype of every tensor the graph reads or returns, by ref, from Placeholder and Const dtypes
 * through core's output dtype rule. Undefined where the rule cannot tell.
 */
export function tensorDTypes(graph: Graph): Map<TensorRef, string | undefined> {
  const dtypes = new Map<TensorRef, string | undefined>();
  const dtypeOf = (ref: TensorRef) => dtypes.get(normalizeTensorRef(ref));
  const outputsRead = new Map<string, Set<number>>();
  const read = (ref: TensorRef) => {
    const { node, index } = parseTensorRef(ref);
    let set = outputsRead.get(node);
    if (!set) outputsRead.set(node, (set = new Set()));
    set.add(index);
  };
  for (const node of graph.nodes) node.inputs.forEach(read);
  graph.outputs.forEach(read);
  for (const sig of Object.values(graph.signatures)) Object.values(sig.outputs).forEach((t) => read(t.name));

  for (const node of graph.nodes) {
    const indices = outputsRead.get(node.name) ?? new Set([0]);
    for (const i of indices) {
      let dtype: string | undefined;
      if (node.op === 'Placeholder') dtype = String(placeholderTensor(node).dtype);
      else if (node.op === 'Const') dtype = graph.constants.get(node.name)?.dtype;
      else dtype = outputDType(node, i, (k) => (node.inputs[k] === undefined ? undefined : dtypeOf(node.inputs[k]!))) ?? (node.inputs[0] === undefined ? undefined : dtypeOf(node.inputs[0]));
      dtypes.set(tensorRef(node.name, i), dtype);
    }
  }
  return dtypes;
}
