import { nodeMap, parseTensorRef, withGraph, type Graph } from '@modelport/core';
import { pinnedNodeNames } from './pinned-tensors.js';

export interface PruneDeadCodeReport {
  /** Nodes dropped, by op. */
  readonly pruned: Readonly<Record<string, number>>;
}

export interface PruneDeadCodeOptions {
  readonly onReport?: (report: PruneDeadCodeReport) => void;
}

/**
 * Drops every node that no graph output and no signature tensor needs, walking back through data
 * and control inputs (a loop's NextIteration → Merge back edge is a data input of the Merge, so
 * loop bodies stay). Graph inputs stay even when unused: callers feed them by name. Values of
 * dropped Consts leave `graph.constants` too.
 */
export function pruneDeadCode(graph: Graph, options: PruneDeadCodeOptions = {}): Graph {
  const byName = nodeMap(graph);
  const live = new Set<string>();
  const stack = [...pinnedNodeNames(graph), ...graph.inputs];
  while (stack.length) {
    const node = byName.get(stack.pop()!);
    if (!node || live.has(node.name)) continue;
    live.add(node.name);
    for (const ref of node.inputs) stack.push(parseTensorRef(ref).node);
    stack.push(...(node.controlInputs ?? []));
  }
  const pruned: Record<string, number> = {};
  for (const node of graph.nodes) if (!live.has(node.name)) pruned[node.op] = (pruned[node.op] ?? 0) + 1;
  options.onReport?.({ pruned });
  if (live.size === graph.nodes.length) return graph;
  return withGraph(graph, {
    nodes: graph.nodes.filter((n) => live.has(n.name)),
    constants: new Map([...graph.constants].filter(([name]) => live.has(name))),
  });
}
