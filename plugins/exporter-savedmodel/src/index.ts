import { promises as fs } from 'node:fs';
import path from 'node:path';
import { definePlugin, OptionsError, readPluginPackage, validateOptions, type PluginPackage } from '@modelport/core';
import { checkAssetName, type AssetFile } from './assets.js';
import { exportSavedModel } from './export-savedmodel.js';
import { writeSavedModelFiles } from './write-files.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

export interface ExporterSavedModelOptions {
  readonly directory: string;
  readonly variables: boolean;
  readonly assets: Readonly<Record<string, string>>;
}

async function readAssets(assets: Readonly<Record<string, string>>, resolve: (p: string) => string): Promise<AssetFile[]> {
  const out: AssetFile[] = [];
  for (const [name, file] of Object.entries(assets)) {
    checkAssetName(name);
    try { out.push({ name, bytes: await fs.readFile(resolve(file)) }); }
    catch (e) { throw new OptionsError(`targetOptions.savedmodel.assets: "${name}" names ${file}, which cannot be read (${(e as Error).message})`, { plugin: PLUGIN_NAME }); }
  }
  return out;
}

/** `directory` stays inside the version folder: relative, without "..". */
function checkDirectory(directory: string): void {
  if (path.isAbsolute(directory) || directory.split(/[\\/]/).includes('..')) {
    throw new OptionsError(`targetOptions.savedmodel.directory: "${directory}" leaves the version folder; give a relative folder inside it ("." for the version root)`, { plugin: PLUGIN_NAME });
  }
}

/**
 * Writes a TensorFlow SavedModel (saved_model.pb, variables/ when weights are variables, assets/)
 * that tf.saved_model.load, the TF1 loader and TensorFlow Serving load: the graph in TensorFlow's
 * public ops, every signature as a SignatureDef. Built in memory first, so a refusal leaves no file.
 */
export const exporterSavedModel = definePlugin<ExporterSavedModelOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.writeArtifact.for('savedmodel').tapPromise(PLUGIN_NAME, async (graph, ctx) => {
      const overrides = ctx.export.options.targetOptions?.savedmodel ?? {};
      const opts = validateOptions<ExporterSavedModelOptions>(optionsSchema, { ...options, ...overrides }, 'targetOptions.savedmodel', { plugin: PLUGIN_NAME });
      checkDirectory(opts.directory);
      const assets = await readAssets(opts.assets, (p) => path.resolve(p));
      const exported = exportSavedModel(graph, { variables: opts.variables, assets });
      const mode = ctx.export.options.quantize;
      if (mode) ctx.export.notes.push(`savedmodel: written in float32; --quantize ${mode} is not stored (TensorFlow runs the float graph)`);
      ctx.export.notes.push(...exported.notes);
      const root = path.join(ctx.dir, opts.directory);
      const written = await writeSavedModelFiles(root, exported);
      const rel = (f: string) => (opts.directory === '.' ? f : `${opts.directory}/${f}`);
      ctx.export.notes.push(`savedmodel: ${exported.details.nodes} nodes, weights ${exported.details.weights}, signatures ${exported.details.signatures.join(', ')}`);
      return {
        target: 'savedmodel', format: 'savedmodel', plugin: PLUGIN_NAME,
        path: rel('saved_model.pb'),
        files: written.map(rel),
        details: { ...exported.details, directory: opts.directory },
      };
    });
  },
});

export default exporterSavedModel;
export { exportSavedModel, constantBytes, FROZEN_LIMIT_BYTES, type SavedModelExport, type SavedModelExportOptions } from './export-savedmodel.js';
export { lowerToTensorFlow, LOWERINGS, type Lowering } from './lower/index.js';
export { assertTensorFlowCanLoad } from './check-loadable.js';
export { graphDefOf } from './graph-def.js';
export { TF_OPS, type OpDef } from './op-registry.js';
