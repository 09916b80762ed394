import {
  annotateDynamicRange, annotateInt8 as coreAnnotateInt8, collectTensorRanges, DEFAULT_SIGNATURE, signatureFromEnds, tensorRef,
  type Graph, type TensorData, type TensorRange, type TensorRef,
} from '@modelport/core';

// The annotations a quantizer plugin writes (docs/formats/quantization.md), made with core's
// functions from ranges the float graph takes in tfjs on the given samples.

/** min/max of the tensors an int8 quantizer needs (or of the graph inputs only), over the samples. */
export function tensorRanges(graph: Graph, samples: readonly Record<string, TensorData>[], inputsOnly = false): Promise<Map<TensorRef, TensorRange>> {
  return inputsOnly ? collectTensorRanges(graph, samples, {}, graph.inputs.map((n) => tensorRef(n))) : collectTensorRanges(graph, samples);
}

/** Every node of core's INT8_OPS int8; `io` makes the default signature's edges integers of that type (int8-full). */
export function annotateInt8(graph: Graph, ranges: ReadonlyMap<TensorRef, TensorRange>, opts: { io?: 'uint8' | 'int8' } = {}): Graph {
  const withSignature = Object.keys(graph.signatures).length ? graph : { ...graph, signatures: { [DEFAULT_SIGNATURE]: signatureFromEnds(graph) } };
  return coreAnnotateInt8(withSignature, ranges, opts.io ? { full: true, ioType: opts.io } : {}).graph;
}

/** dynamic: int8 weights of convolutions and matrix products, however small; nodes stay float. */
export function annotateDynamic(graph: Graph): Graph {
  return annotateDynamicRange(graph, { minElements: 0 }).graph;
}

/** float16: every float Const of more than one value. */
export function annotateFloat16(graph: Graph): Graph {
  const constants = new Map([...graph.constants].map(([k, c]) => [k, c.dtype === 'float32' && c.values.length > 1 ? { ...c, quantization: { dtype: 'float16' as const, scale: [], zeroPoint: [] } } : c]));
  return { ...graph, constants };
}
