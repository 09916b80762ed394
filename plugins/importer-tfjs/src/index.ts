import { definePlugin, isGraphModelJson, isLayersModelJson, ModelLoadError, readPluginPackage, readTfjsModelFiles, type PluginPackage, type ExportContext, type Graph } from '@modelport/core';
import { importGraphModel } from './graph-model.js';
import { importLayersModel, importLayersModelFile, type ImportedLayersModel } from './layers-model.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME };

/**
 * Loads tfjs models into the Graph IR: `tfjs` for a model.json on disk (graph or layers model, told
 * apart by its content), `tfjs-layers-model` for a tf.LayersModel in memory.
 */
export const importerTfjs = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks) {
    hooks.loadModel.for('tfjs').tapPromise(PLUGIN_NAME, async (source, ctx) => {
      if (!source.path) throw new ModelLoadError('the tfjs source needs a path to a model.json');
      const files = await readTfjsModelFiles(source.path);
      if (isGraphModelJson(files.json)) return importGraphModel(files);
      if (isLayersModelJson(files.json)) return withReference(await importLayersModelFile(files), ctx);
      throw new ModelLoadError('model.json is neither a tfjs graph model nor a layers model (format and modelTopology do not say)', { file: source.path });
    });
    hooks.loadModel.for('tfjs-layers-model').tapPromise(PLUGIN_NAME, async (source, ctx) => withReference(importLayersModel(source.model), ctx));
  },
});

// Validation then compares artifacts with the layers model's own predict, not with our conversion.
function withReference(imported: ImportedLayersModel, ctx: ExportContext): Graph {
  ctx.reference = imported.reference;
  return imported.graph;
}

export default importerTfjs;
export { importGraphModel, importLayersModel, importLayersModelFile };
export { graphFromLayersModel } from './layers/index.js';
