import { constantValue } from '../graph/shapes/dim-expr.js';
import { inferShapes } from '../graph/shapes/infer-shapes.js';
import type { Graph, Signature, SignatureTensor } from '../graph/types.js';

/**
 * The signature with the shapes it leaves open (null, as tfjs graph models give their outputs)
 * filled in by shape inference, -1 for dims known only at run time: modules size their ops
 * (anchors, classes) from them.
 */
export function withInferredShapes(graph: Graph, signature: Signature): Signature {
  const open = (side: Readonly<Record<string, SignatureTensor>>) => Object.values(side).some((t) => t.shape === null);
  if (!open(signature.inputs) && !open(signature.outputs)) return signature;
  const inference = inferShapes(graph);
  const fill = (side: Readonly<Record<string, SignatureTensor>>) => Object.fromEntries(Object.entries(side).map(([k, t]) => {
    if (t.shape !== null) return [k, t];
    const shape = inference.shape(t.name);
    return [k, shape === null ? t : { ...t, shape: shape.map((d) => constantValue(d) ?? -1) }];
  }));
  return { ...signature, inputs: fill(signature.inputs), outputs: fill(signature.outputs) };
}
