import path from 'node:path';
import { CORE_VERSION, definePlugin, graphToTfjsGraphModel, readPluginPackage, validateOptions, type PluginPackage } from '@modelport/core';
import { weightQuantizationPolicy } from './quantization-policy.js';
import { assertTfjsCanRun } from './supported-ops.js';
import { writeGraphModel } from './write-graph-model.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

export interface ExporterTfjsOptions {
  readonly shardSizeBytes: number;
  readonly directory: string;
  readonly customOps: readonly string[];
}

/**
 * Writes a tfjs graph model (model.json + weight shards) that tf.loadGraphModel loads, with the
 * signature, user metadata, and weights quantized as --quantize asks (tfjs dequantizes on load).
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
      const policy = weightQuantizationPolicy(ctx.export.options, graph);
      const { modelJson, weights } = graphToTfjsGraphModel(graph, {
        convertedBy: `modelport ${CORE_VERSION}`,
        userMetadata: ctx.export.options.metadata,
        ...(policy ? { weightQuantization: policy } : {}),
      });
      const written = await writeGraphModel(path.join(ctx.dir, opts.directory), modelJson, weights, opts.shardSizeBytes);
      const quantized = weights.filter((w) => w.spec.quantization && w.spec.quantization.dtype === ctx.export.options.quantize).length;
      if (ctx.export.options.quantize) ctx.export.notes.push(`tfjs: ${quantized} weight(s) stored as ${ctx.export.options.quantize}`);
      return {
        target: 'tfjs', format: 'tfjs', plugin: PLUGIN_NAME,
        path: `${opts.directory}/model.json`,
        files: written.files.map((f) => `${opts.directory}/${f}`),
        details: { shards: written.shards, weightBytes: written.weightBytes, quantization: ctx.export.options.quantize ?? null, quantizedWeights: quantized },
      };
    });
  },
});

export default exporterTfjs;
export { writeGraphModel } from './write-graph-model.js';
export { weightQuantizationPolicy } from './quantization-policy.js';
export { TFJS_OPS, assertTfjsCanRun } from './supported-ops.js';
