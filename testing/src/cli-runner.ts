import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the run, in milliseconds. */
  readonly ms: number;
}

export interface CliRunOptions {
  /** The folder the command runs in (and the installed CLI is found from); process.cwd() by default. */
  readonly cwd?: string;
  /** Variables added to the environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** The `modelport` script to run instead of the installed one. */
  readonly bin?: string;
  /** SIGTERM after this many milliseconds (the code is then 143). */
  readonly timeoutMs?: number;
}

/**
 * The `modelport` script of the @modelport/cli installed for `cwd`: its node_modules or a parent's,
 * as `npx modelport` would find it.
 */
export function findModelportBin(cwd: string = process.cwd()): string {
  let manifest: string;
  try {
    manifest = createRequire(path.join(path.resolve(cwd), 'noop.js')).resolve('@modelport/cli/package.json');
  } catch {
    throw new Error(`@modelport/cli is not installed for ${path.resolve(cwd)} (nor in a parent folder's node_modules); run npm install @modelport/cli there, or pass { bin }`);
  }
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> }).bin?.modelport;
  const file = bin ? path.join(path.dirname(manifest), bin) : '';
  if (!bin || !existsSync(file)) throw new Error(`${manifest} declares no "modelport" bin that exists; reinstall @modelport/cli`);
  return file;
}

/** Runs `modelport …args` in its own process, as a user's shell would; never rejects. */
export function runModelport(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  const cwd = options.cwd ?? process.cwd();
  const bin = options.bin ?? findModelportBin(cwd);
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], {
      cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024,
      ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGTERM' as const } : {}),
    }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}
