import { definePlugin, readPluginPackage, type PluginPackage } from '@modelport/core';
import { quantizeDynamic } from './modes/dynamic.js';
import { quantizeInt8 } from './modes/int8.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

/**
 * Integer quantization on `quantize`: acts on --quantize dynamic, int8 and int8-full, and passes
 * any other graph on unchanged. It annotates the graph (docs/formats/quantization.md); exporters write it.
 */
export const quantizerInt8Plugin = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks) {
    hooks.quantize.tapPromise(PLUGIN_NAME, async (graph, ctx) => {
      switch (ctx.options.quantize) {
        case 'dynamic': return quantizeDynamic(graph, ctx, PLUGIN_NAME);
        case 'int8': case 'int8-full': return quantizeInt8(graph, ctx, PLUGIN_NAME);
        default: return graph;
      }
    });
  },
});
