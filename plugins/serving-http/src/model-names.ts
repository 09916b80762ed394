import path from 'node:path';
import { ServingError } from './errors.js';

// The names exporters write (core's modelName pattern): no separators, no leading dot, so no "..".
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const VERSION = /^[0-9]{1,15}$/;

export function isModelName(name: string): boolean {
  return MODEL_NAME.test(name);
}

/** Refuses a name that is not a plain model folder name: a request can never name a path. */
export function checkModelName(name: string): string {
  if (!isModelName(name)) {
    throw new ServingError('INVALID_ARGUMENT', `invalid model name ${JSON.stringify(name.slice(0, 100))}: a model name is letters, digits, ".", "_" and "-", starting with a letter or digit`);
  }
  return name;
}

export function parseVersion(text: string): number {
  if (!VERSION.test(text) || Number(text) < 1) {
    throw new ServingError('INVALID_ARGUMENT', `invalid version ${JSON.stringify(text.slice(0, 100))}: versions are positive integers`);
  }
  return Number(text);
}

export function checkLabel(label: string): string {
  if (!LABEL.test(label)) throw new ServingError('INVALID_ARGUMENT', `invalid version label ${JSON.stringify(label.slice(0, 100))}`);
  return label;
}

export const LABEL_PATTERN = LABEL.source;
export const MODEL_NAME_PATTERN = MODEL_NAME.source;

/** `<base>/<name>`, after checking that it stays inside `base` (belt and braces after checkModelName). */
export function modelDirOf(base: string, name: string): string {
  const dir = path.resolve(base, checkModelName(name));
  if (path.dirname(dir) !== path.resolve(base)) throw new ServingError('INVALID_ARGUMENT', `model name "${name}" leaves the repository`);
  return dir;
}

/** Resolves `rel` inside `dir`, refusing anything that climbs out (an export.json is data, not trusted paths). */
export function insideDir(dir: string, rel: string): string | undefined {
  const full = path.resolve(dir, rel);
  const back = path.relative(dir, full);
  return back && !back.startsWith('..') && !path.isAbsolute(back) ? full : undefined;
}
