import { statSync } from 'node:fs';
import path from 'node:path';
import type { ModelSource } from '@modelport/core';

const SAVED_MODEL_PB = 'saved_model.pb';

/** The SavedModel directory `file` names (the directory itself or its saved_model.pb), if it is one. */
function savedModelDir(file: string): string | undefined {
  if (path.basename(file) === SAVED_MODEL_PB) return path.dirname(path.resolve(file));
  const isDir = statSync(file, { throwIfNoEntry: false })?.isDirectory();
  return isDir && statSync(path.join(file, SAVED_MODEL_PB), { throwIfNoEntry: false })?.isFile() ? path.resolve(file) : undefined;
}

/**
 * The loadModel source for a path given on the command line: a SavedModel (a directory holding
 * saved_model.pb, or that file), else a tfjs model.json. A SavedModel is named after its folder,
 * or the folder above when that is called saved_model, as TF users lay them out.
 */
export function sourceOf(file: string): ModelSource {
  const dir = savedModelDir(file);
  if (!dir) return { format: 'tfjs', path: file };
  const folder = path.basename(dir) === 'saved_model' ? path.basename(path.dirname(dir)) : path.basename(dir);
  const name = folder.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '');
  return { format: 'savedmodel', path: file, ...(name ? { name } : {}) };
}
