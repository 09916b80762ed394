import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHooks, silentLogger, validateOptions, type ExportContext, type ExportOptions, type Hooks, type WriteArtifactContext } from '@modelport/core';
import { exporterTflite, optionsSchema, type ExporterTfliteOptions } from '../src/index.js';

/** Hooks with the exporter applied, as the plugin host would (options validated with defaults). */
export function hooksWithExporter(options: Partial<ExporterTfliteOptions> = {}): Hooks {
  const hooks = createHooks();
  exporterTflite.apply(hooks, validateOptions<ExporterTfliteOptions>(optionsSchema, options, 'options'), undefined as never);
  return hooks;
}

/** A writeArtifact context over a fresh temp directory. */
export async function writeContext(options: Partial<ExportOptions> = {}): Promise<WriteArtifactContext> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-tflite-plugin-'));
  const exportOptions: ExportOptions = { targets: ['tflite'], out: dir, validate: false, ...options };
  const ctx: ExportContext = { request: { source: { format: 'tfjs' }, options: exportOptions }, options: exportOptions, logger: silentLogger, notes: [], data: new Map() };
  return { export: ctx, target: 'tflite', dir };
}
