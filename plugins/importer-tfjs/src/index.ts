import { definePlugin, isGraphModelJson, isLayersModelJson, ModelLoadError, readTfjsModelFiles } from '@modelport/core';
import { importGraphModel } from './graph-model.js';
import { importLayersModel, importLayersModelFile } from './layers-model.js';

export const PLUGIN_NAME = '@modelport/importer-tfjs';
const VERSION = '0.1.0';

/**
 * Loads tfjs models into the Graph IR: `tfjs` for a model.json on disk (graph or layers model, told
 * apart by its content), `tfjs-layers-model` for a tf.LayersModel in memory.
 */
export const importerTfjs = definePlugin({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  apply(hooks) {
    hooks.loadModel.for('tfjs').tapPromise(PLUGIN_NAME, async (source) => {
      if (!source.path) throw new ModelLoadError('the tfjs source needs a path to a model.json');
      const files = await readTfjsModelFiles(source.path);
      if (isGraphModelJson(files.json)) return importGraphModel(files);
      if (isLayersModelJson(files.json)) return importLayersModelFile(files);
      throw new ModelLoadError('model.json is neither a tfjs graph model nor a layers model (format and modelTopology do not say)', { file: source.path });
    });
    hooks.loadModel.for('tfjs-layers-model').tapPromise(PLUGIN_NAME, async (source) => importLayersModel(source.model));
  },
});

export default importerTfjs;
export { importGraphModel, importLayersModel, importLayersModelFile };
export { graphFromLayersModel } from './layers/index.js';
