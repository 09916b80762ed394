import path from 'node:path';
import { CORE_VERSION, definePlugin, graphToTfjsGraphModel, readPluginPackage, SIGNATURE_FILES_KEY, validateOptions, type PluginPackage } from '@modelport/core';
import { encodeAffineWeight } from './encode-affine.js';
import { weightQuantizationPolicy } from './quantization-policy.js';
import { assertTfjsCanStore } from './refuse-quantization.js';
import { assertTfjsCanRun } from './supported-ops.js';
import { planTfjsFolders } from './signature-files.js';
import { planWeightStorage, type TfjsStorage } from './weight-storage.js';
import { writeGraphModel } from './write-graph-model.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

export interface ExporterTfjsOptions {
  readonly shardSizeBytes: number;
  readonly directory: string;
  readonly customOps: readonly string[];
}

/** "tfjs: 12 weight(s) stored as float16", one line per kind of storage written. */
function storageNotes(storage: ReadonlyMap<string, TfjsStorage>): string[] {
  const counts = new Map<string, number>();
  for (const s of storage.values()) {
    const label = s.kind === 'float16' ? 'float16' : s.int8 ? 'uint8 (int8 weights, the same integers with zero point + 128)' : s.dtype;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  if (!counts.size) return ['tfjs: no weight stored quantized'];
  return [...counts].map(([label, n]) => `tfjs: ${n} weight(s) stored as ${label}`);
}

/**
 * Writes a tfjs graph model (model.json + weight shards) that tf.loadGraphModel loads, with the
 * signature, user metadata, and weights stored as the quantizer's annotations say (tfjs
 * dequantizes on load); without --quantize, as the source stored them. A graph of several
 * signatures becomes one graph model per signature (signature-files.ts).
 */
export const exporterTfjs = definePlugin<ExporterTfjsOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.writeArtifact.for('tfjs').tapPromise(PLUGIN_NAME, async (graph, ctx) => {
      // Per-export overrides (targetOptions.tfjs) are checked against the same schema as the plugin's options.
      const overrides = ctx.export.options.targetOptions?.tfjs ?? {};
      const opts = validateOptions<ExporterTfjsOptions>(optionsSchema, { ...options, ...overrides }, 'targetOptions.tfjs', { plugin: PLUGIN_NAME });
      assertTfjsCanRun(graph, opts.customOps);
      const mode = ctx.export.options.quantize;
      const { folders, index } = planTfjsFolders(graph, opts.directory);
      const files: string[] = [];
      let shards = 0, weightBytes = 0;
      // Weights shared by several signatures are stored in each of their files, counted once here.
      const allStorage = new Map<string, TfjsStorage>();
      for (const [i, folder] of folders.entries()) {
        const { storage, refusals } = planWeightStorage(folder.graph);
        assertTfjsCanStore(refusals, mode);
        const policy = weightQuantizationPolicy(ctx.export.options, folder.graph, storage);
        const userMetadata = i === 0 && index ? { ...ctx.export.options.metadata, [SIGNATURE_FILES_KEY]: index } : ctx.export.options.metadata;
        const serialized = graphToTfjsGraphModel(folder.graph, {
          convertedBy: `modelport ${CORE_VERSION}`,
          ...(userMetadata ? { userMetadata } : {}),
          ...(policy ? { weightQuantization: policy } : {}),
        });
        // Affine storage is written here: core's serializer only re-encodes a source's own min and scale.
        const weights = serialized.weights.map((w) => {
          const s = storage.get(w.spec.name);
          return s?.kind === 'affine' ? encodeAffineWeight(w.spec.name, folder.graph.constants.get(w.spec.name)!, s) : w;
        });
        const written = await writeGraphModel(path.join(ctx.dir, folder.directory), serialized.modelJson, weights, opts.shardSizeBytes);
        files.push(...written.files.map((f) => `${folder.directory}/${f}`));
        shards += written.shards; weightBytes += written.weightBytes;
        for (const [k, v] of storage) allStorage.set(k, v);
      }
      if (mode || allStorage.size) ctx.export.notes.push(...storageNotes(allStorage));
      if (index) ctx.export.notes.push(`tfjs: ${folders.length} signatures in ${folders.length} graph models`);
      return {
        target: 'tfjs', format: 'tfjs', plugin: PLUGIN_NAME,
        path: `${opts.directory}/model.json`,
        files,
        details: {
          shards, weightBytes, quantization: mode ?? null, quantizedWeights: allStorage.size,
          ...(index ? { signatures: Object.fromEntries(folders.map((f) => [f.key, `${f.directory}/model.json`])) } : {}),
        },
      };
    });
  },
});

export default exporterTfjs;
export { planTfjsFolders, type TfjsSignatureFolder } from './signature-files.js';
export { writeGraphModel } from './write-graph-model.js';
export { weightQuantizationPolicy } from './quantization-policy.js';
export { planWeightStorage, tfjsStorageOf, type TfjsStorage, type StoragePlan, type StorageRefusals } from './weight-storage.js';
export { encodeAffineWeight } from './encode-affine.js';
export { assertTfjsCanStore } from './refuse-quantization.js';
export { TFJS_OPS, assertTfjsCanRun } from './supported-ops.js';
