import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './process-liveness.js';

// `.tmp-<pid>-…`: core's versions being written, versions being removed, lock dirs set aside.
const TEMP_DIR = /^\.tmp-(\d+)-/;
// `<file>.<pid>.<ms>.tmp`: core's writeFileAtomic (checkpoint.json, best.json).
const TEMP_FILE = /^.+\.(\d+)\.\d+\.tmp$/;

/**
 * Removes what interrupted saves left in a model directory: temp version dirs and temp files of
 * processes that are gone, and of an earlier process that had our pid. Call it holding the lock:
 * every cooperating writer writes only while holding it, so nothing here is in use.
 */
export async function removeLeftovers(modelDir: string): Promise<string[]> {
  const entries = await fs.readdir(modelDir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    const match = (entry.isDirectory() ? TEMP_DIR : TEMP_FILE).exec(entry.name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isProcessAlive(pid)) continue; // a writer that takes no lock (a CLI export) may be busy
    await fs.rm(path.join(modelDir, entry.name), { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed;
}
