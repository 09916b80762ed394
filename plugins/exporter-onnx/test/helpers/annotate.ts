import {
  annotateDynamicRange, annotateInt8, collectTensorRanges, QUANTIZATION_SUMMARY_KEY,
  type ConstantTensor, type Graph, type QuantizeMode, type TensorData, type TensorRef,
} from '@modelport/core';

const summarized = (graph: Graph, mode: QuantizeMode): Graph => ({ ...graph, metadata: { ...graph.metadata, [QUANTIZATION_SUMMARY_KEY]: { mode } } });

/**
 * The graph as --quantize int8 (or int8-full) leaves it: core's ranges over the samples (of
 * `tensors` only, when tfjs cannot run the rest) and core's int8 annotation.
 */
export async function annotatedInt8(graph: Graph, samples: readonly Record<string, TensorData>[], options: { full?: boolean; ioType?: 'int8' | 'uint8'; tensors?: TensorRef[] } = {}): Promise<Graph> {
  const ranges = await collectTensorRanges(graph, samples, {}, ...(options.tensors ? [options.tensors] : []));
  const { graph: annotated } = annotateInt8(graph, ranges, { ...(options.full ? { full: true } : {}), ...(options.ioType ? { ioType: options.ioType } : {}) });
  return summarized(annotated, options.full ? 'int8-full' : 'int8');
}

/** --quantize dynamic's annotations (core's), every weight however small. */
export function annotatedDynamic(graph: Graph): Graph {
  return summarized(annotateDynamicRange(graph, { minElements: 1 }).graph, 'dynamic');
}

/** --quantize float16's: every float weight of at least `min` elements stored as float16. */
export function annotateFloat16(graph: Graph, min = 16): Graph {
  const constants = new Map<string, ConstantTensor>();
  for (const [name, c] of graph.constants) {
    constants.set(name, c.dtype === 'float32' && c.values.length >= min ? { ...c, quantization: { dtype: 'float16', scale: [], zeroPoint: [] } } : c);
  }
  return summarized({ ...graph, constants }, 'float16');
}
