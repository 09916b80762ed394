import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** TensorFlow-written SavedModels whose variables/ are copied here (tests compile to dist/test). */
export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

export const BUNDLE_FIXTURES = ['tf1-variables-mlp', 'tf2-module-two-signatures', 'keras-export-cnn'] as const;

/** The bundle prefix of a fixture: `<fixture>/variables/variables`. */
export function fixturePrefix(name: string): string {
  return join(FIXTURES, name, 'variables', 'variables');
}

/** A fresh temporary directory, removed by the returned function. */
export async function temporaryDirectory(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'modelport-bundle-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
