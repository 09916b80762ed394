import {
  annotateDynamicRange, QUANTIZATION_SUMMARY_KEY, quantizeWeightsFilter, type ExportContext, type Graph, type QuantizationSummary,
} from '@modelport/core';

/** dynamic: int8 weights of convolutions and matrix products, float activations; no calibration. */
export function quantizeDynamic(graph: Graph, ctx: ExportContext, plugin: string): Graph {
  const { options, logger } = ctx;
  if (options.calibrationData || options.calibration === 'random') logger.warn('--quantize dynamic keeps activations float: calibration data is not used');
  if (options.accuracyTarget) logger.warn('--accuracy-target applies to --quantize int8 and int8-full; dynamic ignores it');
  const { graph: annotated, quantized, kept } = annotateDynamicRange(graph, {
    ...(options.quantizeWeights ? { selected: quantizeWeightsFilter(options.quantizeWeights) } : {}),
  });
  const summary: QuantizationSummary = { mode: 'dynamic', plugin, weights: { quantized, kept } };
  ctx.notes.push(`${plugin}: dynamic: ${quantized} weight(s) int8 (per channel for convolutions), ${kept} kept float; activations float`);
  return { ...annotated, metadata: { ...annotated.metadata, [QUANTIZATION_SUMMARY_KEY]: summary } };
}
