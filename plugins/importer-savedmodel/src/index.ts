import { ARTIFACT_DESCRIBERS, contribute, definePlugin, ModelLoadError, readPluginPackage, type PluginPackage } from '@modelport/core';
import { readSavedModel, savedModelDescriber } from '@modelport/savedmodel';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME };

/**
 * Loads TensorFlow SavedModels (a directory holding saved_model.pb, or the .pb) into the Graph IR:
 * frozen or with variables, TF1 graphs or TF2 function libraries (inlined). Describes SavedModels for `inspect`.
 */
export const importerSavedModel = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, _options, container) {
    hooks.loadModel.for('savedmodel').tapPromise(PLUGIN_NAME, async (source) => {
      if (!source.path) throw new ModelLoadError('the savedmodel source needs a path to a SavedModel directory or its saved_model.pb');
      return (await readSavedModel(source.path)).graph;
    });
    contribute(container, ARTIFACT_DESCRIBERS, savedModelDescriber);
  },
});

export default importerSavedModel;
