import type { OnnxGraph } from '../onnx-model.js';
import { readsOf } from './value-reads.js';

/** Drops nodes whose outputs nobody reads and initializers nobody uses (after the passes left them behind). */
export function pruneDeadNodes(graph: OnnxGraph): void {
  const live = new Set(graph.outputs.map((o) => o.name));
  const kept = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (!n.outputs.some((o) => live.has(o))) continue;
    kept.push(n);
    for (const r of readsOf(n)) live.add(r);
  }
  graph.nodes = kept.reverse();
  for (const name of [...graph.initializers.keys()]) if (!live.has(name)) graph.initializers.delete(name);
}
