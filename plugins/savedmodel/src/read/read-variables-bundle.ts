import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ConstantTensor } from '@modelport/core';
import { readTensorBundle } from '../tensor-bundle/index.js';

/** The prefix of a SavedModel's variables bundle: variables/variables(.index, .data-*). */
export function variablesPrefix(dir: string): string {
  return path.join(dir, 'variables', 'variables');
}

/** The variables bundle of a SavedModel, or undefined when it has no variables/variables.index. */
export async function readVariablesBundle(dir: string): Promise<Map<string, ConstantTensor> | undefined> {
  const prefix = variablesPrefix(dir);
  if (!(await fs.stat(`${prefix}.index`).catch(() => undefined))) return undefined;
  return readTensorBundle(prefix);
}
