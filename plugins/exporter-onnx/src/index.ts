import path from 'node:path';
import { CORE_VERSION, definePlugin, readPluginPackage, validateOptions, writeFileAtomic, type PluginPackage } from '@modelport/core';
import { exportOnnx } from './export-onnx.js';
import type { WeightRange } from './quantize/weight-range.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

export interface ExporterOnnxOptions {
  readonly opset: number;
  readonly optimize: boolean;
  readonly fileName: string;
  readonly weightRange: WeightRange;
}

/**
 * Writes the graph as an ONNX model (`model.onnx` in the version directory). The whole model is
 * built and encoded in memory first, so an unsupported op or a malformed node fails the export
 * before any file exists; the file itself is written under a temp name and renamed.
 */
export const exporterOnnx = definePlugin<ExporterOnnxOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.writeArtifact.for('onnx').tapPromise(PLUGIN_NAME, async (graph, ctx) => {
      const overrides = ctx.export.options.targetOptions?.onnx ?? {};
      const opts = validateOptions<ExporterOnnxOptions>(optionsSchema, { ...options, ...overrides }, 'targetOptions.onnx', { plugin: PLUGIN_NAME });
      const metadata = Object.fromEntries(Object.entries(ctx.export.options.metadata ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      const result = exportOnnx(graph, {
        opset: opts.opset, optimize: opts.optimize, weightRange: opts.weightRange, ...(ctx.export.options.quantize ? { quantize: ctx.export.options.quantize } : {}), producerVersion: `${VERSION} (core ${CORE_VERSION})`, metadata });
      await writeFileAtomic(path.join(ctx.dir, opts.fileName), result.bytes);
      ctx.export.notes.push(`onnx: opset ${opts.opset}, ${result.details.onnxNodes} nodes, ${result.details.transposes} transpose(s) left`);
      return {
        target: 'onnx', format: 'onnx', plugin: PLUGIN_NAME,
        path: opts.fileName, files: [opts.fileName],
        details: { nodes: result.details.nodes, ops: result.details.ops, transposes: result.details.transposes, opset: opts.opset },
      };
    });
  },
});

export default exporterOnnx;
export { countOps, exportOnnx, FROZEN_INPUTS_METADATA, irVersionFor, type OnnxExport, type OnnxExportOptions } from './export-onnx.js';
export { ONNX_OP_TABLE } from './ops/index.js';
export type { WeightRange } from './quantize/weight-range.js';
export type { OnnxOpConverter, OnnxOpTable, ConversionContext } from './converter.js';
