import { randomBytes, randomUUID } from 'node:crypto';
import fs, { promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ModelportError, type Logger } from '@modelport/core';
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

function ownerIsGone(owner: LockOwner): boolean {
  // A pid of our own is ours only if we hold that token; otherwise it is a former process that had our pid.
  if (owner.pid === SELF.pid && owner.host === SELF.host && owner.pidNamespace === SELF.pidNamespace) {
    return ![...held.values()].includes(owner.token);
  }
  return isKnownDead(owner) === true;
}

// proper-lockfile judges staleness by mtime alone.
function looksStale(stat: Stats): Stats {
  return { ...stat, mtime: new Date(0) } as Stats;
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
 * The fs proper-lockfile works through: the lock dir carries an owner record, a lock whose owner
 * process is known to be dead looks stale at once (no waiting staleMs after a crash), and removal
 * checks ownership. proper-lockfile only calls these for the lock dir itself.
 */
const lockFs = {
  mkdir(dir: string, callback: (err: NodeJS.ErrnoException | null) => void) {
    fs.mkdir(dir, (err) => {
      if (err) return callback(err);
      const owner: LockOwner = { ...SELF, token: randomUUID(), since: new Date().toISOString() };
      try {
        held.set(dir, owner.token);
        fs.writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify(owner));
      } catch (e) {
        held.delete(dir);
        fs.rmSync(dir, { recursive: true, force: true });
        return callback(e as NodeJS.ErrnoException);
      }
      callback(null);
    });
  },
  stat(dir: string, callback: (err: NodeJS.ErrnoException | null, stat?: Stats) => void) {
    fs.stat(dir, (err, stat) => {
      if (err) return callback(err);
      const owner = readOwner(dir);
      observed.set(dir, owner?.token ?? null);
      if (owner ? ownerIsGone(owner) : Date.now() - stat.mtimeMs > OWNERLESS_GRACE_MS) return callback(null, looksStale(stat));
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

/**
 * Takes the lock of a model directory: one writer at a time across processes. A holder that died
 * (SIGKILL, power loss) is detected by its pid on this host, or by the lock going unrefreshed for
 * `staleMs` on any host, and the lock is taken over.
 */
export async function acquireLock(modelDir: string, options: LockOptions): Promise<HeldLock> {
  const dir = path.join(path.resolve(modelDir), LOCK_NAME);
  await fsp.mkdir(path.dirname(dir), { recursive: true });
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path.resolve(modelDir), {
      lockfilePath: dir,
      realpath: false,
      stale: options.staleMs,
      fs: lockFs,
      retries: { retries: 12, factor: 1.4, minTimeout: 10, maxTimeout: 250, randomize: true, forever: true, maxRetryTime: options.timeoutMs } as lockfile.LockOptions['retries'],
      onCompromised: (e) => {
        compromised = e;
        held.delete(dir);
        options.logger?.warn(`checkpoint lock ${dir} was taken over by another process: ${e.message}`);
      },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw new ModelportError(`cannot take the checkpoint lock: ${(e as Error).message}`, { file: dir }, { cause: e });
    const owner = readOwner(dir);
    const who = owner ? `pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'a process that left no owner record';
    throw new ModelportError(`another writer holds the checkpoint lock (${who}); waited ${options.timeoutMs} ms. A lock of a dead process is taken over at once on its host, or after ${options.staleMs} ms elsewhere`, { file: dir }, { cause: e });
  }
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
        held.delete(dir);
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
