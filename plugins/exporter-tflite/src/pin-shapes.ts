import { ModelportError, ORIGINAL_INPUT_SHAPES_KEY, parseTensorRef, placeholderTensor, type Graph, type Node } from '@modelport/core';

/** The graph needs input shapes TFLite can hold; lists every dynamic input axis at once. */
export class DynamicInputShapeError extends ModelportError {
  constructor(readonly problems: readonly string[], readonly flags: readonly string[], node: string) {
    super(`TFLite needs static input shapes (LiteRT cannot resize inputs), but ${problems.join('; ')}. `
      + `Only a dynamic batch (axis 0) is pinned to 1 by itself; give the other dimensions at export, e.g. ${flags.join(' ')}`, { node, op: 'Placeholder' });
  }
}

export interface StaticInputs {
  /** Static shape per Placeholder name. */
  readonly shapes: Map<string, number[]>;
  /** The shapes as the source declared them (before --input-shape), -1 kept. */
  readonly declared: Map<string, readonly number[]>;
  readonly notes: string[];
}

/** An --input-shape flag for `shape` with each dynamic dimension shown as a placeholder to fill in. */
function suggestedFlag(input: string, shape: readonly number[] | null): string {
  const dims = shape === null ? '<D0,D1,…>' : shape.map((d, i) => (d >= 0 ? String(d) : i === 0 ? '1' : `<${'D'}${i}>`)).join(',');
  return `--input-shape ${input}=${dims}`;
}

/**
 * The static shape of each graph input, after the core applied any --input-shape: a dynamic batch
 * (axis 0) becomes 1, any other unknown dimension or rank is one error naming every input and axis
 * and the flag to give. Signature shapes win over the Placeholder's attribute when both are given.
 */
export function staticInputShapes(graph: Graph, placeholders: readonly Node[]): StaticInputs {
  const fromSignature = new Map<string, readonly number[] | null>();
  // Inputs an export module made: their size is an option of that module, not an --input-shape.
  const madeByModule = new Map<string, string>();
  for (const [key, sig] of Object.entries(graph.signatures)) {
    const inputStages = sig.stages ? sig.stages.slice(0, sig.stages.indexOf('model')) : [];
    for (const t of Object.values(sig.inputs)) {
      const node = parseTensorRef(t.name).node;
      if (t.shape && !fromSignature.get(node)) fromSignature.set(node, t.shape);
      if (inputStages.length && node.startsWith(`${key}/`)) madeByModule.set(node, inputStages.join(', '));
    }
  }
  const original = (graph.metadata[ORIGINAL_INPUT_SHAPES_KEY] ?? {}) as Record<string, readonly number[] | null>;
  const shapes = new Map<string, number[]>();
  const declared = new Map<string, readonly number[]>();
  const problems: string[] = [];
  const flags: string[] = [];
  const problemNodes: string[] = [];
  const batched: string[] = [];
  for (const node of placeholders) {
    const shape = fromSignature.get(node.name) ?? placeholderTensor(node).shape;
    const dynamic = shape === null ? [] : shape.map((d, i) => (d < 0 && i > 0 ? i : -1)).filter((i) => i >= 0);
    if (shape === null || dynamic.length) {
      problems.push(shape === null ? `input "${node.name}" has an unknown rank` : `input "${node.name}" [${shape.join(',')}] is dynamic on axis ${dynamic.join(', ')}`);
      const module = madeByModule.get(node.name);
      flags.push(module ? `the input's size in the options of module ${module} (for image: "inputSize": [height, width])` : suggestedFlag(node.name, shape));
      problemNodes.push(node.name);
      continue;
    }
    if (shape[0] !== undefined && shape[0] < 0) batched.push(node.name);
    declared.set(node.name, original[node.name] ?? shape);
    shapes.set(node.name, shape.map((d) => (d < 0 ? 1 : d)));
  }
  if (problems.length) throw new DynamicInputShapeError(problems, flags, problemNodes[0] ?? '');
  const notes = batched.length
    ? [`tflite: batch size pinned to 1 for input(s) ${batched.map((b) => `"${b}"`).join(', ')} (LiteRT cannot resize inputs; give --input-shape for another size; the -1 is kept in the model's modelport metadata)`]
    : [];
  return { shapes, declared, notes };
}
