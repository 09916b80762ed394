import {
  definePlugin, QUANTIZATION_SUMMARY_KEY, quantizeWeightsFilter, readPluginPackage,
  type ExportContext, type Graph, type PluginPackage,
} from '@modelport/core';
import { annotateWeights, isWeightMode } from './annotate-weights.js';
import { weightNote, weightSummary } from './summary.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

/**
 * --quantize float16, uint8, uint16: annotates the float32 weights (all, or those
 * --quantize-weights selects) with the storage exporters write; other modes pass through untouched.
 */
export function quantizeWeights(graph: Graph, ctx: ExportContext): Graph {
  const mode = ctx.options.quantize;
  if (!isWeightMode(mode)) return graph;
  const done = annotateWeights(graph, mode, quantizeWeightsFilter(ctx.options.quantizeWeights));
  ctx.notes.push(`quantize: ${weightNote(mode, done)}`);
  ctx.logger.debug(`${PLUGIN_NAME}: ${done.quantized} weight(s) annotated ${mode}, ${done.kept} kept`);
  return { ...done.graph, metadata: { ...done.graph.metadata, [QUANTIZATION_SUMMARY_KEY]: weightSummary(mode, PLUGIN_NAME, done) } };
}

export const quantizerWeights = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks) {
    hooks.quantize.tapPromise(PLUGIN_NAME, async (graph, ctx) => quantizeWeights(graph, ctx));
  },
});
