import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Writes a file under a temporary name, then renames it: a reader never sees half a model. */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}
