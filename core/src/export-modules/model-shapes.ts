import { constantValue } from '../graph/shapes/dim-expr.js';
import { inferShapes } from '../graph/shapes/infer-shapes.js';
import type { Graph, Signature, SignatureTensor } from '../graph/types.js';

/**
 * The model's signature as modules see it: tensors whose shape the model file leaves out (tfjs
 * graph models often do) get the inferred one, -1 for dims known only at run time, so a module can
 * read e.g. the class count. Shapes the signature states are kept; unknown ones stay null.
 */
export function withInferredShapes(graph: Graph, signature: Signature): Signature {
  const tensors = [...Object.values(signature.inputs), ...Object.values(signature.outputs)];
  if (tensors.every((t) => t.shape !== null)) return signature;
  const inferred = inferShapes(graph);
  const fill = (side: Readonly<Record<string, SignatureTensor>>): Record<string, SignatureTensor> => Object.fromEntries(Object.entries(side).map(([k, t]) => {
    if (t.shape !== null) return [k, t];
    const shape = inferred.shape(t.name);
    return [k, shape === null ? t : { ...t, shape: shape.map((d) => constantValue(d) ?? -1) }];
  }));
  return { ...signature, inputs: fill(signature.inputs), outputs: fill(signature.outputs) };
}
