import { promises as fs } from 'node:fs';
import path from 'node:path';
import { create } from 'tar';

/**
 * The archive's entries for `files`: each folder ('variables/') before the files in it. TF Hub's
 * resolver writes each file entry with a bare GFile open and creates folders only for folder
 * entries (resolver.py download_and_uncompress), as `tar -C MODEL_DIR .` lists them.
 */
export function archiveEntries(files: readonly string[]): string[] {
  const entries: string[] = [];
  const folders = new Set<string>();
  for (const file of [...files].sort()) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = `${parts.slice(0, i).join('/')}/`;
      if (!folders.has(folder)) { folders.add(folder); entries.push(folder); }
    }
    entries.push(file);
  }
  return entries;
}

/**
 * Packs `files` (relative to `folder`) into a gzipped tar at `tarPath`, with the folder's contents at
 * the archive root, as TF Hub and Kaggle Models take uploads (`tar -czf m.tar.gz -C MODEL_DIR .`):
 * saved_model.pb, variables/…, assets/… at the top. Portable entries (no owner, group or device
 * ids), written under a temp name and renamed, so a reader never sees half an archive.
 */
export async function packFolder(folder: string, files: readonly string[], tarPath: string): Promise<number> {
  const temp = `${tarPath}.${process.pid}.tmp`;
  try {
    await create({ gzip: { level: 9 }, portable: true, cwd: folder, file: temp, noDirRecurse: true }, archiveEntries(files));
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
