import { readFileSync } from 'node:fs';
import os from 'node:os';
import { isProcessAlive, PID_NAMESPACE } from '@modelport/core';

/** Who a process is, as far as another process on the same machine can check. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly host: string;
  /** The pid namespace (Linux); containers sharing a volume and a host name may still differ here. */
  readonly pidNamespace?: string;
  /** Start time of the process in clock ticks since boot (Linux): tells a reused pid from the original. */
  readonly startTime?: string;
}

/** Field 22 of /proc/<pid>/stat; the command name before it may contain spaces, hence the last ')'. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const pidNamespace = PID_NAMESPACE;
const startTime = processStartTime(process.pid);

export const SELF: ProcessIdentity = Object.freeze({
  pid: process.pid,
  host: os.hostname(),
  ...(pidNamespace ? { pidNamespace } : {}),
  ...(startTime ? { startTime } : {}),
});

/**
 * Whether the process is known to be gone (or its pid now belongs to another process): only
 * answerable for processes of this host and pid namespace; for others (a shared network disk)
 * the answer is undefined and callers fall back to timeouts.
 */
export function isKnownDead(owner: ProcessIdentity): boolean | undefined {
  if (owner.host !== SELF.host || owner.pidNamespace !== SELF.pidNamespace) return undefined;
  if (!isProcessAlive(owner.pid)) return true;
  const now = owner.startTime && processStartTime(owner.pid);
  return now ? now !== owner.startTime : false;
}
