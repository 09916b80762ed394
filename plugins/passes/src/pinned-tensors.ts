import { normalizeTensorRef, parseTensorRef, signatureRefs, type Graph, type TensorRef } from '@modelport/core';

/**
 * The tensors the outside world names: graph outputs and every signature's inputs and outputs.
 * Passes keep them, under the same names, so that callers and validation still find them.
 */
export function pinnedTensorRefs(graph: Graph): Set<TensorRef> {
  return new Set([...graph.outputs, ...signatureRefs(graph)].map(normalizeTensorRef));
}

/** The nodes that own a pinned tensor. */
export function pinnedNodeNames(graph: Graph): Set<string> {
  return new Set([...pinnedTensorRefs(graph)].map((ref) => parseTensorRef(ref).node));
}
