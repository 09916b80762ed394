import { attr, ModelportError, parseTensorRef, type Node, type Signature } from '@modelport/core';

/** The graph needs input shapes TFLite can hold; lists every dynamic input axis at once. */
export class DynamicInputShapeError extends ModelportError {
  constructor(readonly problems: readonly string[], node: string) {
    super(`TFLite needs static input shapes (LiteRT cannot resize inputs), but ${problems.join('; ')}. `
      + 'Only a dynamic batch (axis 0) is pinned to 1; give the other dimensions fixed sizes (an --input-shape option is planned) or export a model with static shapes', { node, op: 'Placeholder' });
  }
}

export interface PinnedInputs {
  /** Static shape per Placeholder name. */
  readonly shapes: Map<string, number[]>;
  /** The declared shapes, -1 kept, for shape_signature. */
  readonly declared: Map<string, readonly number[]>;
  readonly notes: string[];
}

/**
 * Fixes the shape of each graph input: a dynamic batch (axis 0) becomes 1, any other unknown
 * dimension or rank is an error naming every input and axis. Signature shapes win over the
 * Placeholder's attribute when both are given.
 */
export function pinInputShapes(placeholders: readonly Node[], signatures: Readonly<Record<string, Signature>>): PinnedInputs {
  const fromSignature = new Map<string, readonly number[] | null>();
  for (const sig of Object.values(signatures)) {
    for (const t of Object.values(sig.inputs)) {
      const node = parseTensorRef(t.name).node;
      if (t.shape && !fromSignature.get(node)) fromSignature.set(node, t.shape);
    }
  }
  const shapes = new Map<string, number[]>();
  const declared = new Map<string, readonly number[]>();
  const problems: string[] = [];
  const batched: string[] = [];
  for (const node of placeholders) {
    const shape = fromSignature.get(node.name) ?? (attr.has(node, 'shape') ? attr.shape(node, 'shape') : null);
    if (shape === null) { problems.push(`input "${node.name}" has an unknown rank`); continue; }
    const dynamic = shape.map((d, i) => (d < 0 && i > 0 ? i : -1)).filter((i) => i >= 0);
    if (dynamic.length) { problems.push(`input "${node.name}" [${shape.join(', ')}] is dynamic on axis ${dynamic.join(', ')}`); continue; }
    if (shape[0] !== undefined && shape[0] < 0) batched.push(node.name);
    declared.set(node.name, shape);
    shapes.set(node.name, shape.map((d) => (d < 0 ? 1 : d)));
  }
  if (problems.length) throw new DynamicInputShapeError(problems, placeholders[0]?.name ?? '');
  const notes = batched.length
    ? [`tflite: batch size pinned to 1 for input(s) ${batched.map((b) => `"${b}"`).join(', ')} (LiteRT cannot resize inputs; the -1 is kept in the model's modelport metadata)`]
    : [];
  return { shapes, declared, notes };
}
