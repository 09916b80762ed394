import { promises as fs } from 'node:fs';
import { ATOMIC_TEMP_FILE, isProcessAlive } from '@modelport/core';
import path from 'node:path';
import { WAIT_PREFIX } from './lock-queue.js';

// `.tmp-<pid>-…` directories: core's versions being written, versions being removed, lock dirs set aside.
const TEMP_DIR = /^\.tmp-(\d+)-/;
// core's writeFileAtomic temp files (checkpoint.json, best.json).
const TEMP_FILE = ATOMIC_TEMP_FILE;
const WAIT_MARKER = new RegExp(`^${WAIT_PREFIX.replace(/\./g, '\\.')}(\\d+)-`);

/**
 * Removes what interrupted saves left in a model directory: temp directories and files of
 * processes that are gone, and of an earlier process that had our pid. Call it holding the lock:
 * every cooperating writer writes only while holding it, so nothing of ours is in use.
 */
export async function removeLeftovers(modelDir: string): Promise<string[]> {
  const entries = await fs.readdir(modelDir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    const waiting = !entry.isDirectory() && WAIT_MARKER.exec(entry.name);
    const match = waiting || (entry.isDirectory() ? TEMP_DIR : TEMP_FILE).exec(entry.name);
    if (!match) continue;
    const pid = Number(match[1]);
    // Another live process may be mid-write (a CLI export takes no lock) or queued for the lock;
    // a marker of our own pid is another manager of this process, waiting.
    if (isProcessAlive(pid) && (pid !== process.pid || waiting)) continue;
    await fs.rm(path.join(modelDir, entry.name), { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed;
}
