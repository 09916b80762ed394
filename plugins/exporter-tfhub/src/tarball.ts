import { promises as fs } from 'node:fs';
import path from 'node:path';
import { create } from 'tar';

/**
 * Packs `files` (relative to `folder`) into a gzipped tar at `tarPath`, with the folder's contents at
 * the archive root, as TF Hub and Kaggle Models take uploads (`tar -czf m.tar.gz -C MODEL_DIR .`):
 * saved_model.pb, variables/…, assets/… at the top. Portable entries (no owner, group or device
 * ids), written under a temp name and renamed, so a reader never sees half an archive.
 */
export async function packFolder(folder: string, files: readonly string[], tarPath: string): Promise<number> {
  const temp = `${tarPath}.${process.pid}.tmp`;
  try {
    await create({ gzip: { level: 9 }, portable: true, cwd: folder, file: temp, noDirRecurse: true }, [...files].sort());
    await fs.rename(temp, tarPath);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
  return (await fs.stat(tarPath)).size;
}

/** The file names of a folder's tree, '/'-separated and relative to it, sorted. */
export async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(path.relative(folder, full).split(path.sep).join('/'));
    }
  };
  await walk(folder);
  return out.sort();
}
