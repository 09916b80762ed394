import { readFileSync } from 'node:fs';
import { ModelportError } from '@modelport/core';

/** Labels from inline strings or a file of one label per line (a trailing empty line is ignored). */
export function readLabels(labels: string | readonly string[] | undefined, resolve: (file: string) => string): readonly string[] | undefined {
  if (labels === undefined || Array.isArray(labels)) return labels as readonly string[] | undefined;
  const file = resolve(labels as string);
  try {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim());
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines;
  } catch (e) {
    throw new ModelportError(`cannot read the labels file: ${(e as Error).message}`, { file });
  }
}
