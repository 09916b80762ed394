import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createContainer, listVersions, type Logger } from '@modelport/core';
import { Registry } from '@modelport/registry';
import { verifyVersion, type CheckpointServices } from '@modelport/checkpoint-manager';

/** test/fixtures of the package (scripts are not compiled: dist/test → ../../test/fixtures). */
export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');

export function scratchDir(name: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `modelport-ckpt-${name}-`));
}

/** A tiny Dense net with seeded weights: small enough for hundreds of exports in a test. */
export function tinyModel(seed = 1): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
  return model;
}

/** Lines a test can wait for, from a child's stdout. */
export interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  readonly stderr: () => string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runFixture(script: string, args: readonly string[], options: { stdin?: boolean; env?: Record<string, string> } = {}): Child {
  const child = spawn(process.execPath, [path.join(FIXTURES, script), ...args], {
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  const lines: string[] = [];
  let err = '';
  let partial = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) if (w.pattern.test(line)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    process: child, lines, stderr: () => err, exited,
    waitFor(pattern, timeoutMs = 30_000) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fixture ${script} printed no line matching ${pattern} in ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        void exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`fixture ${script} exited (${code ?? signal}) before printing ${pattern}; stderr: ${err}`)); });
        waiters.push({ pattern, resolve: (line) => { clearTimeout(timer); resolve(line); } });
      });
    },
  };
}

/** Every version of a model directory checked against its export.json; the problems of all of them. */
export async function verifyAll(modelDir: string): Promise<{ versions: number[]; problems: string[] }> {
  const versions = await listVersions(modelDir);
  const problems: string[] = [];
  for (const v of versions) problems.push(...(await verifyVersion(path.join(modelDir, String(v)))).problems);
  return { versions, problems };
}

/** A logger that keeps what it is told, for tests that check warnings. */
export function recordingLogger(): Logger & { readonly messages: string[] } {
  const messages: string[] = [];
  return { messages, debug: () => {}, info: (m) => messages.push(m), warn: (m) => messages.push(m) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What a host hands a manager: a container the registry configured with the default preset, as a
 * training script's host (the CLI, trainer-export) does.
 */
export async function hostServices(): Promise<CheckpointServices> {
  const container = createContainer();
  await new Registry({ cwd: process.cwd(), container }).configure({ presets: ['default'] });
  return { container };
}
