import { dataAncestors, type Graph, type Node, type TensorRef } from '@modelport/core';

/** The nodes `outputs` depend on by data, in graph order: the rest is not exported. */
export function neededNodes(graph: Graph, outputs: readonly TensorRef[]): Node[] {
  const needed = dataAncestors(graph, outputs);
  return graph.nodes.filter((n) => needed.has(n.name));
}
