import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ModelLoadError, type ExportContext } from '@modelport/core';
import { describeTflite } from '@modelport/runtime-tflite';
import { openSession, type SessionFlags } from '../session.js';
import { formatExportRecord } from './inspect-export.js';
import { describeGraph } from './inspect-graph.js';
import { formatTfliteDescription } from './inspect-tflite.js';
import { sourceOf } from './source.js';

/** Bytes of the model file and the weight files next to it that its manifest names. */
async function modelBytes(file: string): Promise<number> {
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as { weightsManifest?: { paths: string[] }[] };
  let total = (await fs.stat(file)).size;
  for (const group of json.weightsManifest ?? []) for (const p of group.paths) total += (await fs.stat(path.join(path.dirname(file), p)).catch(() => ({ size: 0 }))).size;
  return total;
}

/** The file to inspect, or one error naming it. */
async function readInspected(file: string): Promise<Buffer> {
  return fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new ModelLoadError(e.code === 'ENOENT' ? 'no such file' : `cannot read: ${e.message}`, { file });
  });
}

export function registerInspect(program: Command): void {
  program.command('inspect')
    .description('show a model\'s signatures (inputs, outputs, dynamic dimensions), op histogram and size')
    .argument('<model>', 'path to a tfjs model.json, a .tflite file, or an export.json (what an export wrote: validation, quantization report)')
    .action(async (model: string, _flags: unknown, command: Command) => {
      if (model.endsWith('.tflite')) {
        const bytes = await readInspected(model);
        process.stdout.write(`${path.resolve(model)}\n\n${formatTfliteDescription(describeTflite(new Uint8Array(bytes), model))}\n`);
        return;
      }
      if (path.basename(model) === 'export.json') {
        const text = (await readInspected(model)).toString('utf8');
        let record: Parameters<typeof formatExportRecord>[0];
        try {
          record = JSON.parse(text);
        } catch (e) {
          throw new ModelLoadError(`not JSON: ${(e as Error).message}`, { file: model });
        }
        process.stdout.write(`${path.resolve(model)}\n\n${formatExportRecord(record)}\n`);
        return;
      }
      const session = await openSession(command.optsWithGlobals() as SessionFlags);
      const source = sourceOf(model);
      session.host.assertSingleProvider('loadModel', source.format, 'source format');
      const ctx: ExportContext = { request: { source, options: { targets: [], out: '.', validate: false } }, options: { targets: [], out: '.', validate: false }, logger: session.logger, notes: [], data: new Map() };
      const graph = await session.hooks.loadModel.for(source.format).promise(source, ctx);
      if (!graph) throw new ModelLoadError('no importer recognised this model', { file: model });
      process.stdout.write(`${path.resolve(model)}\n\n${describeGraph(graph, await modelBytes(model))}\n`);
    });
}
