import { defaultSignature, nodeMap, parseTensorRef, placeholderTensor, type Graph, type Node, type Quantization, type Shape, type SignatureTensor, type TensorRef } from '@modelport/core';
import type { OnnxDim } from './onnx-model.js';

/** One graph input or output of the ONNX model: its name (the signature key) and the IR tensor behind it. */
export interface OnnxEnd {
  readonly name: string;
  readonly ref: TensorRef;
  readonly dtype: string;
  readonly shape: Shape;
  /** An integer edge (int8-full): fed or returned as integers of quantization.dtype. */
  readonly quantization?: Quantization;
}

/**
 * The ONNX model's inputs and outputs: the keys of the serving signature (so a client uses the same
 * names for every format), falling back to the graph's inputs and outputs. Placeholders the
 * signature leaves out but the outputs need become inputs named after their node.
 */
export function onnxEnds(graph: Graph, needed: ReadonlySet<string>): { inputs: OnnxEnd[]; outputs: OnnxEnd[] } {
  const signature = defaultSignature(graph);
  const byName = nodeMap(graph);
  const end = (name: string, t: SignatureTensor): OnnxEnd => ({ name, ref: t.name, dtype: t.quantization?.dtype ?? t.dtype, shape: t.shape, ...(t.quantization ? { quantization: t.quantization } : {}) });
  const inputs = Object.entries(signature.inputs).map(([k, t]) => {
    // The Placeholder's own shape wins when the signature states none.
    const node = byName.get(parseTensorRef(t.name).node);
    const own = node ? placeholderTensor(node) : undefined;
    return end(k, { ...t, shape: t.shape ?? own?.shape ?? null, dtype: t.dtype ?? own?.dtype });
  });
  const fed = new Set(inputs.map((i) => parseTensorRef(i.ref).node));
  for (const node of graph.nodes) {
    if (node.op === 'Placeholder' && needed.has(node.name) && !fed.has(node.name)) inputs.push(end(node.name, placeholderTensor(node as Node)));
  }
  const outputs = Object.entries(signature.outputs).map(([k, t]) => end(k, t));
  return { inputs, outputs };
}

/** ONNX dims of an input: -1 becomes a symbolic dimension, `batch` on axis 0. */
export function symbolicDims(input: string, shape: Shape): OnnxDim[] | null {
  if (shape === null) return null;
  return shape.map((d, i) => (d >= 0 ? d : i === 0 ? 'batch' : `${input}_d${i}`));
}
