import { execFile } from 'node:child_process';
import type { CliResult } from './cli.js';

/**
 * Runs a command as a user's shell would: without the npm_* variables of the test runner's own
 * npm (they would steer a nested npm); a variable given as undefined is removed. Never rejects.
 */
export function shell(file: string, args: readonly string[], cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries({ ...process.env, ...extra })
    .filter((e): e is [string, string] => e[1] !== undefined && !e[0].toLowerCase().startsWith('npm_')));
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** npm quiet and from its cache where it can: the @modelport packages come from a local registry. */
export const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error'];
