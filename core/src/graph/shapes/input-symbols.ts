import { placeholderTensor } from '../query.js';
import type { Graph, Node } from '../types.js';

/** An open dimension of a graph input, named for display. */
export interface InputSymbol {
  readonly name: string;
  readonly input: string;
  readonly axis: number;
}

const AXIS_NAMES: Readonly<Record<number, readonly string[]>> = {
  1: ['N'], 2: ['N', 'D'], 3: ['N', 'L', 'D'], 4: ['N', 'H', 'W', 'C'], 5: ['N', 'D', 'H', 'W', 'C'],
};

/**
 * Names the -1 dims of the inputs: N, H, W… when the graph has one input, "input.H" with several,
 * so distinct inputs never share a symbol.
 */
export function inputSymbols(graph: Graph, byName: ReadonlyMap<string, Node>): InputSymbol[] {
  const out: InputSymbol[] = [];
  for (const input of graph.inputs) {
    const node = byName.get(input);
    const shape = node ? placeholderTensor(node).shape : null;
    if (shape === null) continue;
    shape.forEach((d, axis) => {
      if (d >= 0) return;
      const axisName = AXIS_NAMES[shape.length]?.[axis] ?? `d${axis}`;
      out.push({ name: graph.inputs.length === 1 ? axisName : `${input}.${axisName}`, input, axis });
    });
  }
  return out;
}
