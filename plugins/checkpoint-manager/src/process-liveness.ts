import { readlinkSync } from 'node:fs';
import os from 'node:os';

/** Who a process is, as far as another process on the same machine can check. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly host: string;
  /** The pid namespace (Linux); containers sharing a volume and a host name may still differ here. */
  readonly pidNamespace?: string;
}

function readPidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

export const SELF: ProcessIdentity = Object.freeze({
  pid: process.pid,
  host: os.hostname(),
  ...(readPidNamespace() ? { pidNamespace: readPidNamespace()! } : {}),
});

/** Whether a pid runs here: signal 0 checks without signalling. EPERM means it runs as another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Whether the process is known to be gone: only answerable for processes of this host and pid
 * namespace; for others (a shared network disk) the answer is undefined and callers wait for a timeout.
 */
export function isKnownDead(owner: ProcessIdentity): boolean | undefined {
  if (owner.host !== SELF.host || owner.pidNamespace !== SELF.pidNamespace) return undefined;
  return !isProcessAlive(owner.pid);
}
