import { randomBytes, randomUUID } from 'node:crypto';
import fs, { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ModelportError, type Logger } from '@modelport/core';
import { LockQueue } from './lock-queue.js';
import { isKnownDead, SELF, type ProcessIdentity } from './process-liveness.js';

/** The lock directory inside a model directory; TF Serving and Triton ignore names that are not numbers. */
export const LOCK_NAME = '.checkpoint.lock';
const OWNER_FILE = 'owner.json';
// A live holder writes owner.json synchronously right after mkdir; a lock dir without it this long is a dead holder's.
const OWNERLESS_GRACE_MS = 2_000;

export interface LockOptions {
  /** A lock whose holder stopped refreshing it this long ago is taken over (holders on other hosts). */
  readonly staleMs: number;
  /** How long to wait for the lock before failing. */
  readonly timeoutMs: number;
  readonly logger?: Logger;
}

export interface HeldLock {
  readonly file: string;
  /** Throws when another process took the lock over (we stalled past staleMs): nothing may be deleted then. */
  assertHeld(): void;
  release(): Promise<void>;
}

interface LockOwner extends ProcessIdentity {
  readonly token: string;
  readonly since: string;
}

const held = new Map<string, string>(); // lock dir → token of the lock this process holds
const releasing = new Set<string>();
const observed = new Map<string, string | null>(); // lock dir → owner token seen when it was judged stale

function readOwner(dir: string): LockOwner | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

function holdsToken(token: string): boolean {
  return [...held.values()].includes(token);
}

/**
 * What we know of a lock's owner: `dead` (its process is gone, or is a former process with our
 * pid), `alive` (on this host), or `unknown` (another host: only the lock's age can tell).
 */
function ownerState(owner: LockOwner): 'dead' | 'alive' | 'unknown' {
  if (owner.pid === SELF.pid && owner.host === SELF.host && owner.pidNamespace === SELF.pidNamespace) {
    return holdsToken(owner.token) ? 'alive' : 'dead';
  }
  const dead = isKnownDead(owner);
  return dead === undefined ? 'unknown' : dead ? 'dead' : 'alive';
}

// proper-lockfile judges staleness by mtime alone.
function withMtime(stat: Stats, mtime: Date): Stats {
  return { ...stat, mtime } as Stats;
}

/**
 * Removes a lock dir only if it still belongs to the owner we expect: renamed aside first (atomic),
 * then checked, and given back if a live process had taken the lock meanwhile.
 */
async function removeLockDir(dir: string): Promise<void> {
  const expected = releasing.has(dir) ? held.get(dir) ?? null : observed.get(dir) ?? null;
  const aside = path.join(path.dirname(dir), `.tmp-${process.pid}-lock-${randomBytes(4).toString('hex')}`);
  try {
    await fsp.rename(dir, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if ((readOwner(aside)?.token ?? null) === expected) {
    await fsp.rm(aside, { recursive: true, force: true });
    return;
  }
  await fsp.rename(aside, dir).catch(() => undefined); // if this fails, the live holder learns it lost the lock (onCompromised)
}

/**
 * The fs proper-lockfile works through, one per acquisition: the lock dir carries an owner record;
 * a lock whose owner process is known to be dead looks stale at once (no waiting staleMs after a
 * crash), one whose owner runs on this host never does; removal checks ownership; and an attempt
 * while older waiters queue fails as if locked.
 * proper-lockfile only calls these for the lock dir itself.
 */
function lockFsFor(queue: LockQueue) {
  return {
    mkdir(dir: string, callback: (err: NodeJS.ErrnoException | null) => void) {
      if (queue.shouldDefer()) {
        queue.wait();
        return callback(Object.assign(new Error('older waiters go first'), { code: 'EEXIST' }));
      }
      fs.mkdir(dir, (err) => {
        if (err) {
          if (err.code === 'EEXIST') queue.wait();
          return callback(err);
        }
        const owner: LockOwner = { ...SELF, token: randomUUID(), since: new Date().toISOString() };
        try {
          held.set(dir, owner.token);
          fs.writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify(owner));
        } catch (e) {
          held.delete(dir);
          fs.rmSync(dir, { recursive: true, force: true });
          return callback(e as NodeJS.ErrnoException);
        }
        queue.leave();
        callback(null);
      });
    },
    stat(dir: string, callback: (err: NodeJS.ErrnoException | null, stat?: Stats) => void) {
      fs.stat(dir, (err, stat) => {
        if (err) return callback(err);
        const owner = readOwner(dir);
        observed.set(dir, owner?.token ?? null);
        // Our own lock: proper-lockfile compares the real mtime with the one it set.
        if (owner && holdsToken(owner.token)) return callback(null, stat);
        const state = owner ? ownerState(owner) : Date.now() - stat.mtimeMs > OWNERLESS_GRACE_MS ? 'dead' : 'unknown';
        if (state === 'dead') return callback(null, withMtime(stat, new Date(0)));
        // A live holder here keeps its lock even if a long synchronous export stalls its refreshes.
        if (state === 'alive') return callback(null, withMtime(stat, new Date()));
        callback(null, stat);
      });
    },
    rmdir(dir: string, callback: (err: NodeJS.ErrnoException | null) => void) {
      removeLockDir(dir).then(() => callback(null), (e: NodeJS.ErrnoException) => callback(e));
    },
    rmdirSync(dir: string) {
      // proper-lockfile's exit handler: remove what we hold.
      if (held.has(dir)) fs.rmSync(dir, { recursive: true, force: true });
    },
    utimes: fs.utimes,
    realpath: fs.realpath,
  };
}

/**
 * Takes the lock of a model directory: one writer at a time across processes, first come first
 * served (LockQueue). A holder that died (SIGKILL, power loss) is detected by its pid on this
 * host, or by the lock going unrefreshed for `staleMs` on any host, and the lock is taken over.
 */
export async function acquireLock(modelDir: string, options: LockOptions): Promise<HeldLock> {
  const dir = path.join(path.resolve(modelDir), LOCK_NAME);
  await fsp.mkdir(path.dirname(dir), { recursive: true });
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  const queue = new LockQueue(path.dirname(dir), options.staleMs);
  try {
    release = await lockfile.lock(path.resolve(modelDir), {
      lockfilePath: dir,
      realpath: false,
      stale: options.staleMs,
      fs: lockFsFor(queue),
      // Short polls: the queue, not the backoff, decides who is next.
      retries: { retries: 8, factor: 1.5, minTimeout: 5, maxTimeout: 50, randomize: true, forever: true, maxRetryTime: options.timeoutMs } as lockfile.LockOptions['retries'],
      onCompromised: (e) => {
        compromised = e;
        held.delete(dir);
        options.logger?.warn(`checkpoint lock ${dir} was taken over by another process: ${e.message}`);
      },
    });
  } catch (e) {
    queue.leave();
    if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw new ModelportError(`cannot take the checkpoint lock: ${(e as Error).message}`, { file: dir }, { cause: e });
    const owner = readOwner(dir);
    const who = owner ? `pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'a process that left no owner record';
    throw new ModelportError(`another writer holds the checkpoint lock (${who}); waited ${options.timeoutMs} ms. A lock of a dead process is taken over at once on its host, or after ${options.staleMs} ms elsewhere`, { file: dir }, { cause: e });
  }
  // Another writer of this process may hold the dir right after our release: only forget our own token.
  const token = held.get(dir);
  const forget = () => { if (held.get(dir) === token) held.delete(dir); };
  return {
    file: dir,
    assertHeld() {
      if (compromised) throw new ModelportError(`the checkpoint lock was lost while writing (${compromised.message}); no version was deleted`, { file: dir }, { cause: compromised });
    },
    async release() {
      if (compromised) return;
      releasing.add(dir);
      try {
        await release();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ERELEASED') throw e;
      } finally {
        releasing.delete(dir);
        forget();
      }
    },
  };
}

/** Runs `fn` holding the lock of `modelDir`. */
export async function withLock<T>(modelDir: string, options: LockOptions, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lock = await acquireLock(modelDir, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
