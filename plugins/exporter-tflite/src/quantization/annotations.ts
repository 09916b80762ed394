import { parseTensorRef, type Graph, type Node, type Quantization, type TensorRef } from '@modelport/core';
import type { QuantizationSpec } from '../schema/model-spec.js';

/**
 * The quantization a quantizer left on the graph (docs/formats/quantization.md), as the exporter
 * reads it: how each Const is stored, the int8 parameters of each tensor, which nodes compute on
 * int8. The exporter decides nothing itself: it writes what these say.
 */
export interface QuantizationAnnotations {
  /** How the Const `irNode` is stored (float16, int8 weights, int32 bias …); undefined: float. */
  constant(irNode: string): Quantization | undefined;
  /** The int8 parameters of a tensor: a Const's annotation, or its producer's outputs[i].quantization. */
  tensor(ref: TensorRef): Quantization | undefined;
  /** Whether anything in the graph is annotated (a quantizer ran). */
  readonly any: boolean;
}

/** Which float Consts to store as float16 regardless of annotations (benchmarks compare the two). */
export type Float16Override = (irNodeName: string) => boolean;

const FLOAT16: Quantization = { dtype: 'float16', scale: [], zeroPoint: [] };

export function annotationsOf(graph: Graph, float16?: Float16Override): QuantizationAnnotations {
  const byName = new Map<string, Node>(graph.nodes.map((n) => [n.name, n]));
  const constant = (irNode: string): Quantization | undefined => {
    const q = graph.constants.get(irNode)?.quantization;
    if (q) return q;
    return float16?.(irNode) ? FLOAT16 : undefined;
  };
  const any = [...graph.constants.values()].some((c) => c.quantization !== undefined)
    || graph.nodes.some((n) => n.quantized !== undefined || n.outputs?.some((o) => o.quantization !== undefined));
  return {
    constant,
    tensor(ref) {
      const { node, index } = parseTensorRef(ref);
      const n = byName.get(node);
      if (n?.op === 'Const') return constant(node);
      return n?.outputs?.[index]?.quantization;
    },
    any,
  };
}

/** TFLite QuantizationParameters of an IR Quantization, its axis given in the tensor's TFLite layout. */
export function quantizationSpec(q: Quantization, axis = q.axis): QuantizationSpec {
  return { scale: [...q.scale], zeroPoint: q.zeroPoint.map((z) => Math.round(z)), ...(axis !== undefined && q.scale.length > 1 ? { quantizedDimension: axis } : {}) };
}

/** Whether two tensors' parameters are the same (a kernel needing equal scales can take one for the other). */
export function sameParams(a: QuantizationSpec | undefined, b: QuantizationSpec | undefined): boolean {
  if (!a || !b) return a === b;
  return a.scale.length === b.scale.length && a.scale.every((s, i) => Math.fround(s) === Math.fround(b.scale[i]!))
    && a.zeroPoint.every((z, i) => z === b.zeroPoint[i]) && (a.quantizedDimension ?? 0) === (b.quantizedDimension ?? 0);
}
