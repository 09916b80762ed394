import { parseTensorRef, type Graph, type Node, type TensorRef } from '@modelport/core';

/** The nodes `outputs` depend on by data, in graph order: the rest is not exported. */
export function neededNodes(graph: Graph, outputs: readonly TensorRef[]): Node[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const needed = new Set<string>();
  const stack = outputs.map((r) => parseTensorRef(r).node);
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    const node = byName.get(name);
    if (!node) continue;
    needed.add(name);
    for (const r of node.inputs) stack.push(parseTensorRef(r).node);
  }
  return graph.nodes.filter((n) => needed.has(n.name));
}
