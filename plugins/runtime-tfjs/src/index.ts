import { definePlugin, readPluginPackage, type PluginPackage } from '@modelport/core';
import { loadGraphModelPredictor } from './graph-model-predictor.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME };

/** Runs tfjs graph-model artifacts: for validation after export and for serving. */
export const runtimeTfjs = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks) {
    hooks.serve.for('tfjs').tapPromise(PLUGIN_NAME, (request) => loadGraphModelPredictor(request.path, request.logger));
  },
});

export default runtimeTfjs;
export { loadGraphModelPredictor };
