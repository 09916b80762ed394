import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { checkModelFile, EXPORT_MANIFEST, ModelLoadError, readModelFile } from '@modelport/core';
import { openSession, type SessionFlags } from '../session.js';
import { describeArtifact } from './describe-artifact.js';
import { formatArtifactDescription } from './inspect-artifact.js';
import { formatExportRecord } from './inspect-export.js';

/** The export record to inspect, or one error naming it. */
async function readExportRecord(file: string): Promise<Parameters<typeof formatExportRecord>[0]> {
  const text = await readModelFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelLoadError(`not JSON: ${(e as Error).message}`, { file });
  }
}

/** The export.json of a version folder, or undefined when `model` is not a folder that holds one. */
async function versionRecord(model: string): Promise<string | undefined> {
  const stat = await fs.stat(model).catch(() => undefined);
  if (!stat?.isDirectory()) return undefined;
  const record = path.join(model, EXPORT_MANIFEST);
  return (await fs.stat(record).catch(() => undefined))?.isFile() ? record : undefined;
}

export function registerInspect(program: Command): void {
  program.command('inspect')
    .description('show a model\'s signatures (inputs, outputs, dynamic dimensions), op histogram and size')
    .argument('<model>', 'a model file in a format a plugin describes (tfjs model.json, .tflite, .onnx, a SavedModel directory, …), or an export.json or the version folder holding it (what an export wrote: signatures and their stages, validation, quantization report)')
    .action(async (model: string, _flags: unknown, command: Command) => {
      // export.json is modelport's own record of an export, not a model: the CLI reads it itself,
      // also when given the version folder that holds it.
      const record = path.basename(model) === 'export.json' ? model : await versionRecord(model);
      if (record) {
        process.stdout.write(`${path.resolve(record)}\n\n${formatExportRecord(await readExportRecord(record))}\n`);
        return;
      }
      // Before any describer opens it: a device or a pipe is refused, not read (or waited on).
      if (!(await fs.stat(model).catch(() => undefined))?.isDirectory()) await checkModelFile(model);
      const session = await openSession(command.optsWithGlobals() as SessionFlags);
      const description = await describeArtifact(session.container, model);
      process.stdout.write(`${path.resolve(model)}\n\n${formatArtifactDescription(description)}\n`);
    });
}
