import { promises as fs } from 'node:fs';
import { ModelLoadError } from './errors.js';

/** A model file's bytes; a missing or unreadable file is a ModelLoadError naming it. */
export async function readModelFile(file: string): Promise<Buffer>;
export async function readModelFile(file: string, encoding: 'utf8'): Promise<string>;
export async function readModelFile(file: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding ? await fs.readFile(file, encoding) : await fs.readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ModelLoadError(err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.message}`, { file });
  }
}
