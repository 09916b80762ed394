import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isProcessAlive, PID_NAMESPACE } from './process-liveness.js';

/**
 * This machine as far as pids go: host name and pid namespace (containers sharing a volume and a
 * host name still have their own pids). Only folders with our tag can be judged by their pid.
 */
export const HOST_TAG = createHash('sha256').update(`${os.hostname()}\n${PID_NAMESPACE ?? ''}`).digest('hex').slice(0, 8);

/** The prefix of a version being written by this process: mkdtemp appends six characters. */
export function tempVersionPrefix(): string {
  return `.tmp-${process.pid}-${HOST_TAG}-`;
}

const TEMP_VERSION = /^\.tmp-(\d+)-([0-9a-f]{8})-[A-Za-z0-9]{6}$/;

/**
 * Removes the temp version folders (`<model>/.tmp-<pid>-<host tag>-XXXXXX`) that exports killed
 * before commit or abort left in the repository `out`: only those of this machine whose process is
 * gone; live ones and other machines' are left. A reused pid keeps a folder until that process
 * ends too, which errs on the side of keeping. Returns what was removed, relative to `out`.
 */
export async function removeStaleTempDirs(out: string): Promise<string[]> {
  const removed: string[] = [];
  const models = await fs.readdir(out, { withFileTypes: true }).catch(() => []);
  for (const model of models) {
    if (!model.isDirectory()) continue;
    const entries = await fs.readdir(path.join(out, model.name), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const match = entry.isDirectory() && TEMP_VERSION.exec(entry.name);
      if (!match || match[2] !== HOST_TAG || isProcessAlive(Number(match[1]))) continue;
      await fs.rm(path.join(out, model.name, entry.name), { recursive: true, force: true });
      removed.push(`${model.name}/${entry.name}`);
    }
  }
  return removed.sort();
}
