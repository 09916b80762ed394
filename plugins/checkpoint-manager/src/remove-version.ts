import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Deletes a version atomically: renamed to a temp name first, so that a reader or a crash never
 * sees half a version; a crash before the recursive delete leaves a leftover that start-up removes.
 */
export async function removeVersion(modelDir: string, version: number): Promise<void> {
  const aside = path.join(modelDir, `.tmp-${process.pid}-removed-${version}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.rename(path.join(modelDir, String(version)), aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await fs.rm(aside, { recursive: true, force: true });
}
