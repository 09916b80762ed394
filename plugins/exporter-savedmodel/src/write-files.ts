import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@modelport/core';
import type { SavedModelExport } from './export-savedmodel.js';

/** The SavedModel's files under `root` (the version folder + directory), each under a temp name then renamed; their paths relative to `root`. */
export async function writeSavedModelFiles(root: string, exported: SavedModelExport): Promise<string[]> {
  const files: string[] = [];
  await fs.mkdir(root, { recursive: true });
  if (exported.assets.length) {
    await fs.mkdir(path.join(root, 'assets'), { recursive: true });
    for (const a of exported.assets) { await writeFileAtomic(path.join(root, 'assets', a.name), a.bytes); files.push(`assets/${a.name}`); }
  }
  if (exported.variables) files.push(...await writeVariables(root, exported.variables));
  // saved_model.pb last: a folder with it is a whole SavedModel.
  await writeFileAtomic(path.join(root, 'saved_model.pb'), exported.savedModelPb);
  files.push('saved_model.pb');
  return files;
}

async function writeVariables(root: string, tensors: SavedModelExport['variables'] & {}): Promise<string[]> {
  void root; void tensors;
  throw new Error('savedmodel: the tensor bundle writer is missing');
}
