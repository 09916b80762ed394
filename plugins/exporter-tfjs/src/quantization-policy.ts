import { quantizeWeightsFilter, SOURCE_WEIGHT_QUANTIZATION_KEY, type ConstantTensor, type ExportOptions, type Graph, type TfjsWeightQuantization, type WeightQuantization } from '@modelport/core';

/**
 * Which weights get quantized and how: with --quantize, float32 weights only (int and bool stay
 * exact), all of them or those whose name matches one of `quantizeWeights` (globs with *).
 * Without it, each weight keeps the storage its source file had (float16 stays float16, uint8
 * keeps its min and scale) where that reproduces its values exactly, so a re-export is no larger.
 */
export function weightQuantizationPolicy(options: ExportOptions, graph: Graph): ((name: string, value: ConstantTensor) => WeightQuantization) | undefined {
  const mode = options.quantize;
  if (!mode) {
    const source = graph.metadata[SOURCE_WEIGHT_QUANTIZATION_KEY] as Record<string, TfjsWeightQuantization> | undefined;
    return source ? (name) => source[name] : undefined;
  }
  const selected = quantizeWeightsFilter(options.quantizeWeights);
  return (name, value) => {
    if (value.dtype !== 'float32') return undefined;
    if (!selected(name)) return undefined;
    return mode === 'float16' || mode === 'uint8' || mode === 'uint16' ? mode : undefined;
  };
}
