import { definePlugin, readPluginPackage, type PluginPackage } from '@modelport/core';
import { runPasses, type PassesOptions } from './run-passes.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

/**
 * The built-in graph passes on `transformGraph`: Identity/NoOp removal, dead-code pruning and
 * constant folding, in that order, pruning again after folding.
 */
export const passesPlugin = definePlugin<PassesOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.transformGraph.tapPromise(PLUGIN_NAME, (graph, ctx) => runPasses(graph, options, ctx));
  },
});
