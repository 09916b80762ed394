import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isKnownDead, SELF, type ProcessIdentity } from './process-liveness.js';

/** Prefix of the waiting-room files beside the lock. */
export const WAIT_PREFIX = '.checkpoint.lock.wait-';

interface WaitMarker extends ProcessIdentity {
  readonly since: number;
}

/**
 * First come, first served for the checkpoint lock. Polling alone is unfair: a writer saving in
 * a tight loop releases and retakes the lock within a millisecond, and a waiter that polls every
 * few dozen milliseconds never gets in. A waiter therefore leaves a marker file; whoever wants the
 * lock lets older live waiters go first. Markers of dead processes, or not refreshed for staleMs
 * (another host), do not count.
 */
export class LockQueue {
  private marker?: string;
  private since?: number;

  constructor(private readonly modelDir: string, private readonly staleMs: number) {}

  /** Whether a live waiter queued before us; then this attempt should not take the lock. */
  shouldDefer(): boolean {
    let names: string[];
    try {
      names = fs.readdirSync(this.modelDir).filter((n) => n.startsWith(WAIT_PREFIX));
    } catch {
      return false;
    }
    const mine = this.marker && path.basename(this.marker);
    for (const name of names) {
      if (name === mine) continue;
      const file = path.join(this.modelDir, name);
      let other: WaitMarker;
      let mtimeMs: number;
      try {
        other = JSON.parse(fs.readFileSync(file, 'utf8')) as WaitMarker;
        mtimeMs = fs.statSync(file).mtimeMs;
      } catch {
        continue; // being written or just removed
      }
      if (isKnownDead(other) === true) { fs.rmSync(file, { force: true }); continue; }
      if (Date.now() - mtimeMs > this.staleMs) continue;
      if (this.since === undefined || other.since < this.since || (other.since === this.since && name < mine!)) return true;
    }
    return false;
  }

  /** Joins the queue (once), or shows we are still waiting. */
  wait(): void {
    try {
      if (this.marker) {
        const now = new Date();
        fs.utimesSync(this.marker, now, now);
        return;
      }
      this.since = Date.now();
      this.marker = path.join(this.modelDir, `${WAIT_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
      fs.writeFileSync(this.marker, JSON.stringify({ ...SELF, since: this.since } satisfies WaitMarker));
    } catch {
      // Without a marker this waiter is merely less polite; the lock itself stays correct.
    }
  }

  leave(): void {
    if (this.marker) fs.rmSync(this.marker, { force: true });
    this.marker = undefined;
    this.since = undefined;
  }
}
