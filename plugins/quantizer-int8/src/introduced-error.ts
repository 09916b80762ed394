import { INT8_OPS, normalizeTensorRef, tensorRef, type Graph, type Node } from '@modelport/core';
import type { TensorError } from './simulate/simulator.js';

/** An int8 node and the error it adds to what it reads. */
export interface NodeError {
  readonly node: string;
  readonly op: string;
  /** Relative RMSE of its output minus the largest relative RMSE of its activation inputs. */
  readonly introduced: number;
}

/**
 * The int8 nodes of `annotated`, those that add the most error first: the error of a node's output
 * minus the worst error already in its inputs, both relative to the float tensor's RMS so that
 * tensors of different magnitudes compare.
 */
export function rankByIntroducedError(annotated: Graph, errors: readonly TensorError[]): NodeError[] {
  const relative = new Map(errors.map((e) => [e.tensor, e.relativeRmse]));
  const ranked = annotated.nodes.filter((n): n is Node => n.quantized === 'int8').map((node) => {
    const out = relative.get(tensorRef(node.name, 0)) ?? 0;
    const inputs = (INT8_OPS[node.op]?.activations(node) ?? []).map((i) => relative.get(normalizeTensorRef(node.inputs[i] ?? '')) ?? 0);
    return { node: node.name, op: node.op, introduced: out - Math.max(0, ...inputs) };
  });
  return ranked.sort((a, b) => b.introduced - a.introduced);
}
