import path from 'node:path';
import { CORE_VERSION, definePlugin, readPluginPackage, validateOptions, writeFileAtomic, type PluginPackage } from '@modelport/core';
import { exportOnnx, type OnnxExport } from './export-onnx.js';
import { planOnnxFiles, SIGNATURES_METADATA } from './signature-files.js';
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
 * Writes the graph as an ONNX model (`model.onnx` in the version directory); a graph of several
 * signatures as one file per signature (signature-files.ts). The whole model is
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
      const { files, index } = planOnnxFiles(graph, opts.fileName);
      const written: { key: string; file: string; result: OnnxExport }[] = [];
      // Every file is built in memory before any is written, so a refusal leaves none behind.
      for (const f of files) {
        const result = exportOnnx(f.graph, {
          opset: opts.opset, optimize: opts.optimize, weightRange: opts.weightRange, ...(ctx.export.options.quantize ? { quantize: ctx.export.options.quantize } : {}), producerVersion: `${VERSION} (core ${CORE_VERSION})`,
          metadata: f.file === opts.fileName && index ? { ...metadata, [SIGNATURES_METADATA]: JSON.stringify(index) } : metadata });
        written.push({ key: f.key, file: f.file, result });
      }
      for (const w of written) await writeFileAtomic(path.join(ctx.dir, w.file), w.result.bytes);
      const main = written[0]!.result;
      const onnxNodes = written.reduce((n, w) => n + w.result.details.onnxNodes, 0);
      const transposes = written.reduce((n, w) => n + w.result.details.transposes, 0);
      ctx.export.notes.push(`onnx: opset ${opts.opset}, ${onnxNodes} nodes, ${transposes} transpose(s) left${written.length > 1 ? `, ${written.length} signatures in ${written.length} files` : ''}`);
      return {
        target: 'onnx', format: 'onnx', plugin: PLUGIN_NAME,
        path: opts.fileName, files: written.map((w) => w.file),
        details: {
          nodes: main.details.nodes, ops: [...new Set(written.flatMap((w) => w.result.details.ops))].sort(), transposes, opset: opts.opset,
          ...(index ? { signatures: Object.fromEntries(written.map((w) => [w.key, w.file])) } : {}),
        },
      };
    });
  },
});

export default exporterOnnx;
export { countOps, exportOnnx, FROZEN_INPUTS_METADATA, irVersionFor, type OnnxExport, type OnnxExportOptions } from './export-onnx.js';
export { planOnnxFiles, SIGNATURES_METADATA, type OnnxSignatureFile } from './signature-files.js';
export { ONNX_OP_TABLE } from './ops/index.js';
export type { WeightRange } from './quantize/weight-range.js';
export type { OnnxOpConverter, OnnxOpTable, ConversionContext } from './converter.js';
