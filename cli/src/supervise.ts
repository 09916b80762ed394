import { fork, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSupervisorMessage } from './supervisor-messages.js';

const COMMAND_PROCESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'command-process.js');
/** How long a command has to stop on its own after a forwarded signal before it is killed. */
const GRACE_MS = 1000;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs the command in a child process and owns the signals. A command can hold its main thread
 * for a long time (tfjs builds and runs models synchronously), and a JS signal handler cannot run
 * until it lets go: here SIGINT/SIGTERM reach the command, and if it has not stopped within
 * GRACE_MS it is killed (unless it said it stops on signals itself, as serve does); the version it was writing is removed (its temp directory, named after
 * its pid) and earlier versions are not touched. Exit code: the command's, or 128 + the signal.
 */
export function runSupervised(args: readonly string[]): Promise<number> {
  const child = fork(COMMAND_PROCESS, [...args], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const modelDirs = new Set<string>();
  let stopsOnSignal = false;
  child.on('message', (message) => {
    if (!isSupervisorMessage(message)) return;
    if ('modelDir' in message) modelDirs.add(message.modelDir);
    else stopsOnSignal = true;
  });

  let received: NodeJS.Signals | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) { child.kill('SIGKILL'); return; } // a second signal: no more waiting
    received = signal;
    child.kill(signal);
    if (!stopsOnSignal) killTimer = setTimeout(() => child.kill('SIGKILL'), GRACE_MS);
  };
  const onHangup = () => { child.kill('SIGHUP'); }; // serve reloads on it
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  process.on('SIGHUP', onHangup);

  return new Promise((resolve) => {
    const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(killTimer);
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      process.off('SIGHUP', onHangup);
      if (signal) await removeUnfinishedVersions(child, modelDirs);
      if (code !== null) resolve(code);
      else resolve(128 + (constants.signals[signal === 'SIGKILL' && received ? received : signal!] ?? 0));
    };
    child.once('exit', (code, signal) => { void finish(code, signal); });
    child.once('error', (error) => {
      process.stderr.write(`error: could not start the command: ${error.message}\n`);
      resolve(1);
    });
  });
}

/** The temp version directories of a killed command (core's ArtifactStore names them `.tmp-<pid>-…`), and the model folders it created. */
async function removeUnfinishedVersions(child: ChildProcess, modelDirs: ReadonlySet<string>): Promise<void> {
  const prefix = `.tmp-${child.pid}-`;
  for (const modelDir of modelDirs) {
    const entries = await fs.readdir(modelDir).catch(() => [] as string[]);
    for (const name of entries) if (name.startsWith(prefix)) await fs.rm(path.join(modelDir, name), { recursive: true, force: true });
    await fs.rmdir(modelDir).catch(() => undefined); // only if empty: a model folder this export created
  }
}
