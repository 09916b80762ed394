import { SOURCE_WEIGHT_QUANTIZATION_KEY, type ConstantTensor, type ExportOptions, type Graph, type TfjsWeightQuantization, type WeightQuantization } from '@modelport/core';
import type { TfjsStorage } from './weight-storage.js';

/**
 * How core's serializer stores each weight. An annotated weight is stored as its annotation says
 * (affine ones are encoded by encodeAffineWeight afterwards, so plain here). Without --quantize,
 * each weight keeps the storage its source file had (float16 stays float16, uint8 keeps its min
 * and scale) where that reproduces its values exactly, so a re-export is no larger.
 */
export function weightQuantizationPolicy(options: ExportOptions, graph: Graph, storage: ReadonlyMap<string, TfjsStorage>): ((name: string, value: ConstantTensor) => WeightQuantization) | undefined {
  const source = options.quantize ? undefined : graph.metadata[SOURCE_WEIGHT_QUANTIZATION_KEY] as Record<string, TfjsWeightQuantization> | undefined;
  if (!source && storage.size === 0) return undefined;
  return (name) => {
    const annotated = storage.get(name);
    if (annotated) return annotated.kind === 'float16' ? 'float16' : undefined;
    return source?.[name];
  };
}
