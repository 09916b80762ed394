import { definePlugin, readPluginPackage, type PluginPackage } from '@modelport/core';
import { loadSavedModelPredictor } from './saved-model-predictor.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME };

/** Runs SavedModel artifacts in tfjs (read into the Graph IR): for validation after export and for serving. */
export const runtimeSavedModel = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks) {
    hooks.serve.for('savedmodel').tapPromise(PLUGIN_NAME, (request) => loadSavedModelPredictor(request.path, request.logger));
  },
});

export default runtimeSavedModel;
export { loadSavedModelPredictor };
