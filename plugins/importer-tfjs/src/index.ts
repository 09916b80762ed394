import { ARTIFACT_DESCRIBERS, contribute, definePlugin, ModelLoadError, readPluginPackage, type PluginPackage, type ExportContext, type Graph } from '@modelport/core';
import { describeModelJson, importModelJson, tfjsModelDescriber } from './describe-model-json.js';
import { importGraphModel } from './graph-model.js';
import { importLayersModel, importLayersModelFile, type ImportedLayersModel } from './layers-model.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME };

/**
 * Loads tfjs models into the Graph IR: `tfjs` for a model.json on disk (graph or layers model, told
 * apart by its content), `tfjs-layers-model` for a tf.LayersModel in memory. Describes model.json
 * files for `inspect`.
 */
export const importerTfjs = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, _options, container) {
    hooks.loadModel.for('tfjs').tapPromise(PLUGIN_NAME, async (source, ctx) => {
      if (!source.path) throw new ModelLoadError('the tfjs source needs a path to a model.json');
      const { graph, layers } = await importModelJson(source.path);
      return layers ? withReference(layers, ctx) : graph;
    });
    hooks.loadModel.for('tfjs-layers-model').tapPromise(PLUGIN_NAME, async (source, ctx) => withReference(importLayersModel(source.model), ctx));
    contribute(container, ARTIFACT_DESCRIBERS, tfjsModelDescriber);
  },
});

// Validation then compares artifacts with the layers model's own predict, not with our conversion.
function withReference(imported: ImportedLayersModel, ctx: ExportContext): Graph {
  ctx.reference = imported.reference;
  return imported.graph;
}

export default importerTfjs;
export { importGraphModel, importLayersModel, importLayersModelFile, describeModelJson, tfjsModelDescriber };
export { graphFromLayersModel } from './layers/index.js';
