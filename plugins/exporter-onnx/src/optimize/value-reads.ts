import type { OnnxGraph, OnnxNode } from '../onnx-model.js';

/** Values a node reads, including those its subgraphs take from the enclosing scope. */
export function readsOf(node: OnnxNode): string[] {
  const reads = node.inputs.filter((i) => i !== '');
  for (const a of Object.values(node.attrs)) if (a.kind === 'graph') reads.push(...outerReads(a.value));
  return reads;
}

/** Values a subgraph reads that it does not define itself. */
export function outerReads(g: OnnxGraph): string[] {
  const defined = new Set([...g.inputs.map((i) => i.name), ...g.initializers.keys()]);
  const reads: string[] = [];
  for (const n of g.nodes) {
    for (const r of readsOf(n)) if (!defined.has(r)) reads.push(r);
    for (const o of n.outputs) defined.add(o);
  }
  return reads;
}


/** Replaces reads of `from` with `to` in the nodes and, recursively, their subgraphs. */
export function replaceReads(nodes: readonly OnnxNode[], from: string, to: string): void {
  for (const n of nodes) {
    n.inputs = n.inputs.map((i) => (i === from ? to : i));
    for (const a of Object.values(n.attrs)) {
      if (a.kind !== 'graph') continue;
      // A subgraph that defines the name itself shadows the outer one.
      const g = a.value;
      if (g.inputs.some((i) => i.name === from) || g.nodes.some((x) => x.outputs.includes(from))) continue;
      replaceReads(g.nodes, from, to);
      g.outputs = g.outputs.map((o) => (o.name === from ? { ...o, name: to } : o));
    }
  }
}
