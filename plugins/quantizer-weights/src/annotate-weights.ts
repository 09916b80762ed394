import type { ConstantTensor, Graph, Quantization } from '@modelport/core';
import { tfjsAffineQuantization } from './tfjs-affine.js';

/** The modes this quantizer serves: weight storage only, activations stay float. */
export const WEIGHT_MODES = ['float16', 'uint8', 'uint16'] as const;
export type WeightMode = (typeof WEIGHT_MODES)[number];

export function isWeightMode(mode: string | undefined): mode is WeightMode {
  return (WEIGHT_MODES as readonly string[]).includes(mode ?? '');
}

export interface AnnotatedWeights {
  readonly graph: Graph;
  /** Weights given a storage annotation. */
  readonly quantized: number;
  /** Weights left as they are: not float32, not selected, or annotated already. */
  readonly kept: number;
}

const FLOAT16: Quantization = Object.freeze({ dtype: 'float16', scale: Object.freeze([]), zeroPoint: Object.freeze([]) }) as Quantization;

function storageFor(value: ConstantTensor, mode: WeightMode): Quantization {
  return mode === 'float16' ? FLOAT16 : tfjsAffineQuantization(value.values as Float32Array, mode);
}

/**
 * Annotates every selected float32 Const with how to store it under `mode`; the values stay real.
 * Integer and bool weights stay exact, and a weight another quantizer annotated keeps its annotation.
 */
export function annotateWeights(graph: Graph, mode: WeightMode, selected: (name: string) => boolean): AnnotatedWeights {
  const constants = new Map(graph.constants);
  let quantized = 0;
  for (const [name, value] of graph.constants) {
    if (value.dtype !== 'float32' || value.quantization || !selected(name)) continue;
    constants.set(name, { ...value, quantization: storageFor(value, mode) });
    quantized++;
  }
  return { graph: quantized ? { ...graph, constants } : graph, quantized, kept: graph.constants.size - quantized };
}
