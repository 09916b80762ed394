import { normalizeTensorRef, parseTensorRef } from '../refs.js';
import type { Node, TensorRef } from '../types.js';

/** Follows Identity nodes back to the tensor they forward. */
export function throughIdentities(ref: TensorRef, byName: ReadonlyMap<string, Node>): TensorRef {
  let r = normalizeTensorRef(ref);
  for (;;) {
    const { node, index } = parseTensorRef(r);
    const n = byName.get(node);
    if (n?.op !== 'Identity' || index !== 0) return r;
    r = normalizeTensorRef(n.inputs[0]!);
  }
}
