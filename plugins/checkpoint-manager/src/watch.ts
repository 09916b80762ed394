import { watch as fsWatch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { listVersions, type Logger } from '@modelport/core';
import { readCheckpointRecord, type CheckpointRecord } from './checkpoint-record.js';

export interface WatchOptions {
  /** Polling interval; fs.watch wakes the watcher sooner where the platform reports renames. */
  readonly pollMs?: number;
  /** Yield the versions already there first (ascending), then the new ones. */
  readonly includeExisting?: boolean;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** A new version of the model directory, as it becomes visible (complete: versions appear by rename). */
export interface WatchedVersion {
  readonly version: number;
  readonly dir: string;
  /** Undefined for a version that is no checkpoint (a plain export into the same directory). */
  readonly checkpoint?: CheckpointRecord;
}

/**
 * Yields each new version of `modelDir` once, in ascending order, until the signal aborts or the
 * consumer stops (`break`). Polling is the guarantee; fs.watch only makes it prompt, because it
 * misses events on some file systems (network disks) and the directory may not exist yet.
 */
export async function* watchVersions(modelDir: string, options: WatchOptions = {}): AsyncGenerator<WatchedVersion> {
  const pollMs = options.pollMs ?? 500;
  const seen = new Set<number>();
  if (!options.includeExisting) for (const v of await listVersions(modelDir)) seen.add(v);
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  try {
    while (!options.signal?.aborted) {
      watcher ??= tryWatch(modelDir, () => wake?.(), () => { watcher = undefined; });
      for (const version of await listVersions(modelDir)) {
        if (seen.has(version)) continue;
        seen.add(version);
        const dir = path.join(modelDir, String(version));
        let checkpoint: CheckpointRecord | undefined;
        try {
          checkpoint = await readCheckpointRecord(modelDir, version);
        } catch (e) {
          // Removed by retention between listing and reading: it is no longer a version to report.
          options.logger?.debug(`watch: version ${version} vanished before it could be read: ${(e as Error).message}`);
          continue;
        }
        yield { version, dir, ...(checkpoint ? { checkpoint } : {}) };
        if (options.signal?.aborted) return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => { clearTimeout(timer); resolve(); };
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function tryWatch(dir: string, onChange: () => void, onClosed: () => void): FSWatcher | undefined {
  try {
    const watcher = fsWatch(dir, { persistent: false }, onChange);
    watcher.on('error', () => { watcher.close(); onClosed(); });
    return watcher;
  } catch {
    return undefined; // not there yet: polling continues and tries again
  }
}
