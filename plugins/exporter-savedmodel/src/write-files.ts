import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@modelport/core';
import { writeTensorBundle } from '@modelport/savedmodel';
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

/** variables/variables.{index,data-00000-of-00001}, the tensors in SaveV2's (sorted) order. */
async function writeVariables(root: string, tensors: NonNullable<SavedModelExport['variables']>): Promise<string[]> {
  const sorted = [...tensors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const { files } = await writeTensorBundle(path.join(root, 'variables', 'variables'), sorted);
  return files.map((f) => path.relative(root, f).split(path.sep).join('/'));
}
