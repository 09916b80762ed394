import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';

export type BackendName = 'wasm' | 'cpu' | 'tensorflow';
const KNOWN: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow'];

let ready: Promise<BackendName> | undefined;

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

async function activate(name: BackendName): Promise<BackendName> {
  if (name === 'tensorflow') {
    // Only imported when it is there: it cannot install on every machine, so it is never a dependency.
    const moduleName = '@tensorflow/tfjs-node';
    await import(moduleName);
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  // Prod mode silences tfjs's console advice (install tfjs-node, use execute()): libraries do not print.
  tf.enableProdMode();
  if (!(await tf.setBackend(name))) throw new ConfigError(`tfjs backend "${name}" failed to initialise`);
  await tf.ready();
  return name;
}

/**
 * Chooses the tfjs backend once per process: MODELPORT_BACKEND if set, else `tensorflow` when
 * @tensorflow/tfjs-node happens to be installed, else wasm (about 16× faster than cpu here).
 */
export function initBackend(logger?: Logger): Promise<BackendName> {
  if (!ready) {
    const forced = process.env.MODELPORT_BACKEND?.trim();
    if (forced && !KNOWN.includes(forced as BackendName)) {
      return Promise.reject(new ConfigError(`MODELPORT_BACKEND="${forced}" is not a tfjs backend; use one of ${KNOWN.join(', ')}`));
    }
    ready = activate((forced as BackendName | undefined) ?? (tfjsNodeInstalled() ? 'tensorflow' : 'wasm'));
    void ready.then((name) => logger?.debug(`tfjs backend: ${name}${forced ? ' (MODELPORT_BACKEND)' : ''}`), () => undefined);
  }
  return ready;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `fn` with the cpu backend active, then restores the previous one. tfjs has one global
 * backend, so these runs are serialised.
 */
export function onCpuBackend<T>(fn: () => Promise<T>): Promise<T> {
  const run = async () => {
    const previous = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      return await fn();
    } finally {
      if (previous && previous !== 'cpu') await tf.setBackend(previous);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** Whether an error is tfjs saying a kernel is missing or unsupported on the active backend. */
export function isBackendLimitation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /not registered for backend|kernel|not supported|not yet supported|unsupported/i.test(message);
}
