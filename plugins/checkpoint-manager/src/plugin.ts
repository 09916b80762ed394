import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { definePlugin, ModelLoadError, ModelportError, readPluginPackage, type Graph, type PluginPackage } from '@modelport/core';
import { writeLayersModel } from './layers-copy.js';

// The manifest names the plugin's options schema (plugin-options.schema.json); the manager's own is options.schema.json.
const { name, version, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export const PLUGIN_NAME = name;
export const PLUGIN_VERSION = version;

/** The target (and artifact format) of the exact layers-model copy a checkpoint carries. */
export const LAYERS_TARGET = 'tfjs-layers';
/** The source format of a Graph IR handed over in memory. */
export const GRAPH_SOURCE = 'modelport-graph';

export interface CheckpointsPluginOptions {
  /** Folder of the version that receives the layers model. */
  readonly layersDirectory: string;
}

/**
 * What the checkpoint manager adds to an export session:
 * - writeArtifact[tfjs-layers]: the trained tf.LayersModel itself, saved by tfjs, so that restore
 *   reproduces predictions exactly; it is part of the version, hence checksummed and atomic with it;
 * - loadModel[modelport-graph]: a Graph IR in memory as the source (save(graph)).
 * It taps no afterExport: a save passes step, time and metrics as `metadata.checkpoint`, and the
 * pipeline writes the options into export.json inside the version it commits, so the record is on
 * disk exactly when the version is, and the index can always be rebuilt from it.
 */
export const checkpointsPlugin = definePlugin<CheckpointsPluginOptions>({
  name: PLUGIN_NAME,
  version: PLUGIN_VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.loadModel.for(GRAPH_SOURCE).tapPromise(PLUGIN_NAME, async (source) => {
      if (!isGraph(source.model)) throw new ModelLoadError(`the ${GRAPH_SOURCE} source needs a modelport Graph (nodes, inputs, outputs, constants) as "model"`);
      return source.model;
    });
    hooks.writeArtifact.for(LAYERS_TARGET).tapPromise(PLUGIN_NAME, async (_graph, ctx) => {
      const model = ctx.export.request.source.model;
      if (!(model instanceof tf.LayersModel)) {
        throw new ModelportError(`target "${LAYERS_TARGET}" copies an in-memory tf.LayersModel; this source is "${ctx.export.request.source.format}"`, { hook: 'writeArtifact' });
      }
      const files = await writeLayersModel(model, path.join(ctx.dir, options.layersDirectory));
      return { target: LAYERS_TARGET, format: LAYERS_TARGET, plugin: PLUGIN_NAME, path: `${options.layersDirectory}/model.json`, files, details: { exact: true } };
    });
  },
});

export function isGraph(value: unknown): value is Graph {
  const g = value as Partial<Graph> | undefined;
  return !!g && Array.isArray(g.nodes) && Array.isArray(g.inputs) && Array.isArray(g.outputs) && g.constants instanceof Map;
}
