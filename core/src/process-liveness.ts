import { readFileSync, readlinkSync } from 'node:fs';

function readPidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

/** This process's pid namespace (Linux): containers sharing a volume and a host name may differ here. */
export const PID_NAMESPACE: string | undefined = readPidNamespace();

/** A zombie has ended but answers signal 0 until its parent (or, orphaned, init) reaps it. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/**
 * Whether a pid of this machine (and pid namespace) still runs: signal 0 checks without
 * signalling, EPERM means it runs as another user; a zombie counts as gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return !isZombie(pid);
}
