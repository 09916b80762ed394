import type { OnnxGraph } from '../onnx-model.js';
import { replaceReads } from './value-reads.js';

/**
 * Removes Identity nodes: readers of the output read the input instead; when the output is a graph
 * output (a signature name), the producer of the input is renamed to it, if nothing else needs the
 * old name. Identities that must stay (an input or constant returned as an output) stay.
 */
export function removeIdentities(graph: OnnxGraph): void {
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const inputs = new Set(graph.inputs.map((i) => i.name));
  for (const node of [...graph.nodes]) {
    if (node.opType !== 'Identity') continue;
    const [x, y] = [node.inputs[0]!, node.outputs[0]!];
    const producer = graph.nodes.find((n) => n !== node && n.outputs.includes(x));
    if (!outputs.has(y)) {
      graph.nodes = graph.nodes.filter((n) => n !== node);
      replaceReads(graph.nodes, y, x);
      graph.outputs = graph.outputs.map((o) => (o.name === y ? { ...o, name: x } : o));
      continue;
    }
    if (!producer || outputs.has(x) || inputs.has(x) || graph.initializers.has(x)) continue;
    graph.nodes = graph.nodes.filter((n) => n !== node);
    producer.outputs = producer.outputs.map((o) => (o === x ? y : o));
    replaceReads(graph.nodes, x, y);
  }
}
