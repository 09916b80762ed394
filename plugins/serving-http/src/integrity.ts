import path from 'node:path';
import { digestFile, type FileDigest } from '@modelport/core';
import { ServingError } from './errors.js';
import { insideDir } from './model-names.js';

/**
 * Checks every file export.json lists against its sha256 and size, so that a truncated copy or a
 * flipped byte is a load failure with the file's name, not wrong answers.
 */
export async function verifyDigests(dir: string, files: Readonly<Record<string, FileDigest>>): Promise<void> {
  const problems: string[] = [];
  for (const [rel, want] of Object.entries(files)) {
    const file = insideDir(dir, rel);
    if (!file) {
      problems.push(`${rel} is outside the version directory`);
      continue;
    }
    const got = await digestFile(file).catch(() => undefined);
    if (!got) problems.push(`${rel} is missing`);
    else if (got.bytes !== want.bytes) problems.push(`${rel} has ${got.bytes} bytes, export.json says ${want.bytes}`);
    else if (got.sha256 !== want.sha256) problems.push(`${rel} does not match its sha256 in export.json`);
  }
  if (problems.length) {
    throw new ServingError('DATA_LOSS', `files of ${path.basename(path.dirname(dir))}/${path.basename(dir)} are damaged: ${problems.join('; ')}`, { file: dir });
  }
}
