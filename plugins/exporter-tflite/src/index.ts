import { createRequire } from 'node:module';
import path from 'node:path';
import { CORE_VERSION, definePlugin, validateOptions, writeFileAtomic, type JsonSchema } from '@modelport/core';
import { exportTflite } from './export-tflite.js';
import { assertQuantizationWritable } from './quantization/mode-check.js';

export const PLUGIN_NAME = '@modelport/exporter-tflite';
const require = createRequire(import.meta.url);
const VERSION: string = require('../../package.json').version;
export const optionsSchema: JsonSchema = require('../../options.schema.json');

export interface ExporterTfliteOptions {
  readonly fileName: string;
}

/**
 * Writes a .tflite model (schema 3, builtin ops only) that the TFLite runtime loads: one subgraph
 * and SignatureDef per signature, weights and activations stored as the quantizer annotated them
 * (float16, dynamic, int8, int8-full: docs/formats/quantization.md).
 */
export const exporterTflite = definePlugin<ExporterTfliteOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.writeArtifact.for('tflite').tapPromise(PLUGIN_NAME, async (graph, ctx) => {
      const overrides = ctx.export.options.targetOptions?.tflite ?? {};
      const opts = validateOptions<ExporterTfliteOptions>(optionsSchema, { ...options, ...overrides }, 'targetOptions.tflite', { plugin: PLUGIN_NAME });
      const { quantize } = ctx.export.options;
      assertQuantizationWritable(graph, quantize, PLUGIN_NAME);
      const source = graph.metadata.source as { format?: string; file?: string } | undefined;
      const result = await exportTflite(graph, {
        ...(quantize ? { quantize } : {}),
        description: `modelport ${CORE_VERSION} (${PLUGIN_NAME} ${VERSION}) from ${source?.format ?? 'graph'}${source?.file ? ` ${path.basename(source.file)}` : ''}`,
        metadata: { producer: `modelport ${CORE_VERSION}`, exporter: `${PLUGIN_NAME} ${VERSION}`, source: graph.metadata.source ?? null, user: ctx.export.options.metadata ?? null },
        logger: ctx.export.logger,
      });
      await writeFileAtomic(path.join(ctx.dir, opts.fileName), result.bytes);
      ctx.export.notes.push(...result.notes);
      return {
        target: 'tflite', format: 'tflite', plugin: PLUGIN_NAME, path: opts.fileName, files: [opts.fileName],
        details: { ops: result.ops, tensors: result.tensors, size: result.bytes.byteLength },
      };
    });
  },
});

export default exporterTflite;
export { exportTflite, type TfliteExport, type TfliteExportOptions } from './export-tflite.js';
export { DynamicInputShapeError } from './pin-shapes.js';
export { TFLITE_OPS } from './ops/index.js';
export type { TfliteOpConverter, TfliteOpTable, TfliteConversion } from './conversion.js';
export { MODELPORT_METADATA, type ModelportTfliteMetadata } from './tflite-metadata.js';
