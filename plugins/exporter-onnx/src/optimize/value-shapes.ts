import type { Shape } from '@modelport/core';
import type { OnnxGraph } from '../onnx-model.js';

/** What the passes know of each value: dtype and shape, from the converters. */
export type ValueShapes = Map<string, { readonly dtype: string; readonly shape: Shape }>;

export function shapeOfValue(graph: OnnxGraph, shapes: ValueShapes, name: string): Shape | undefined {
  const t = graph.initializers.get(name);
  if (t) return t.dims;
  return shapes.get(name)?.shape;
}

/** A name not yet used by any value or node of the graph. */
export function nameAllocator(graph: OnnxGraph): (base: string) => string {
  const used = new Set<string>([...graph.initializers.keys(), ...graph.inputs.map((i) => i.name), ...graph.outputs.map((o) => o.name)]);
  const visit = (g: OnnxGraph) => {
    for (const n of g.nodes) {
      used.add(n.name);
      n.outputs.forEach((o) => used.add(o));
      for (const a of Object.values(n.attrs)) if (a.kind === 'graph') visit(a.value);
    }
  };
  visit(graph);
  return (base) => {
    let name = base;
    for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
}
