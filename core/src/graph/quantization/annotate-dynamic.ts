import { parseTensorRef } from '../refs.js';
import type { ConstantTensor, Graph, Node } from '../types.js';
import { symmetricParams } from './affine.js';

export interface AnnotateDynamicOptions {
  /** Which weights (by Const name) may be quantized; all by default (--quantize-weights). */
  readonly selected?: (name: string) => boolean;
  /** Smaller weights stay float: their share of the file is small and int8 would only cost accuracy. */
  readonly minElements?: number;
}

/** The weight input of the ops with int8 (hybrid) kernels, and its per-channel axis in the IR layout. */
const DYNAMIC_WEIGHTS: Readonly<Record<string, (node: Node, filter: ConstantTensor) => number | undefined | null>> = {
  Conv2D: () => 3,
  _FusedConv2D: () => 3,
  // Per channel along C only when the depth multiplier is 1 (TFLite's axis 3 is then C).
  DepthwiseConv2dNative: (_, f) => (f.shape[3] === 1 ? 2 : undefined),
  FusedDepthwiseConv2dNative: (_, f) => (f.shape[3] === 1 ? 2 : undefined),
  MatMul: () => undefined,
  _FusedMatMul: () => undefined,
};

export interface AnnotatedDynamic {
  readonly graph: Graph;
  readonly quantized: number;
  /** Float weights left float (too small, not selected). */
  readonly kept: number;
}

/**
 * Dynamic range quantization: the float32 weights of convolutions and matrix products (≥
 * minElements, default 1024) are annotated int8, symmetric, per channel where the op has a channel
 * axis; activations stay float.
 */
export function annotateDynamicRange(graph: Graph, options: AnnotateDynamicOptions = {}): AnnotatedDynamic {
  const minElements = options.minElements ?? 1024;
  const selected = options.selected ?? (() => true);
  const constants = new Map(graph.constants);
  const done = new Set<string>();
  for (const node of graph.nodes) {
    const axisOf = DYNAMIC_WEIGHTS[node.op];
    const ref = node.inputs[1];
    if (!axisOf || ref === undefined) continue;
    const name = parseTensorRef(ref).node;
    const filter = constants.get(name);
    if (!filter || filter.dtype !== 'float32' || filter.quantization || done.has(name)) continue;
    if (filter.values.length < minElements || !selected(name)) continue;
    const axis = axisOf(node, filter);
    constants.set(name, { ...filter, quantization: symmetricParams(filter.values as ArrayLike<number>, filter.shape, axis ?? undefined) });
    done.add(name);
  }
  let kept = 0;
  for (const [name, c] of constants) if (c.dtype === 'float32' && c.values.length > 1 && !done.has(name)) kept++;
  return { graph: { ...graph, constants }, quantized: done.size, kept };
}
