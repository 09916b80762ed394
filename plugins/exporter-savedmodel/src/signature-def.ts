import { attr, dtypeToTf, parseTensorRef, type Graph, type Signature, type SignatureTensor } from '@modelport/core';
import { tensorName } from './graph-def.js';
import { shapeProto } from './tensor-proto.js';

/** TensorFlow Serving's Predict API: what every signature here is. */
export const PREDICT_METHOD = 'tensorflow/serving/predict';

/** A TensorInfo object: "node:0", DT_ type, the shape with -1 kept (scalar: no dims; unknown rank: unknown_rank). */
export function tensorInfoOf(t: SignatureTensor): Record<string, unknown> {
  return { name: tensorName(t.name), dtype: dtypeToTf(t.dtype), tensorShape: shapeProto(t.shape) };
}

export function signatureDefOf(s: Signature): Record<string, unknown> {
  const map = (ts: Readonly<Record<string, SignatureTensor>>) => Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, tensorInfoOf(t)]));
  return { inputs: map(s.inputs), outputs: map(s.outputs), methodName: s.methodName ?? PREDICT_METHOD };
}

/** A graph with no signature gets "serving_default" from its inputs and outputs, keyed by node name. */
export function signaturesOf(graph: Graph): Readonly<Record<string, Signature>> {
  if (Object.keys(graph.signatures).length) return graph.signatures;
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const inputs = Object.fromEntries(graph.inputs.map((name) => {
    const node = byName.get(name)!;
    return [name, { name: `${name}:0`, dtype: attr.dtype(node, 'dtype'), shape: attr.has(node, 'shape') ? attr.shape(node, 'shape') : null }];
  }));
  const outputs = Object.fromEntries(graph.outputs.map((ref) => {
    const { node, index } = parseTensorRef(ref);
    const info = byName.get(node)?.outputs?.[index];
    return [index === 0 ? node : `${node}_${index}`, { name: ref, dtype: info?.dtype ?? 'float32', shape: info?.shape ?? null }];
  }));
  return { serving_default: { inputs, outputs } };
}
