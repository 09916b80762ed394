import type { OnnxGraph } from '../onnx-model.js';
import { pruneDeadNodes } from './prune.js';
import { removeIdentities } from './remove-identities.js';
import { sinkTransposes } from './sink-transposes.js';
import { transposesToReshapes } from './transposes-to-reshapes.js';
import type { ValueShapes } from './value-shapes.js';

/** The clean-up after translation: layout transposes sunk and cancelled, identities and dead nodes gone. */
export function optimizeOnnxGraph(graph: OnnxGraph, shapes: ValueShapes): OnnxGraph {
  sinkTransposes(graph, shapes);
  pruneDeadNodes(graph);
  transposesToReshapes(graph, shapes);
  removeIdentities(graph);
  pruneDeadNodes(graph);
  for (const node of graph.nodes) {
    for (const a of Object.values(node.attrs)) if (a.kind === 'graph') optimizeOnnxGraph(a.value, shapes);
  }
  return graph;
}
