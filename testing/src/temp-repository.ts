import { rmSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A folder under the system's temp dir for one test: a model repository, a project, a scratch space. */
export interface TempRepository {
  readonly dir: string;
  /** Removes the folder now; it is removed at process exit otherwise. */
  remove(): Promise<void>;
}

const live = new Set<string>();
let exitHook = false;

/**
 * Makes a fresh temporary folder. Every folder still there when the process exits is removed,
 * so a test that fails before its own clean-up leaves nothing behind.
 */
export async function createTempRepository(prefix = 'modelport-test-'): Promise<TempRepository> {
  if (!exitHook) {
    // Synchronous on purpose: 'exit' listeners cannot wait for promises.
    process.once('exit', () => { for (const dir of live) rmSync(dir, { recursive: true, force: true }); });
    exitHook = true;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  live.add(dir);
  return {
    dir,
    async remove() {
      live.delete(dir);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with a temporary folder that is removed when it settles. */
export async function withTempRepository<T>(fn: (dir: string) => Promise<T>, prefix?: string): Promise<T> {
  const repo = await createTempRepository(prefix);
  try {
    return await fn(repo.dir);
  } finally {
    await repo.remove();
  }
}
