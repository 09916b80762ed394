import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

/** test/fixtures of the package (scripts are not compiled: dist/test → ../../test/fixtures). */
export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');

export function scratchDir(name: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `modelport-trainer-${name}-`));
}

/** A tiny Dense net with seeded weights, and a regression target it learns in a few epochs. */
export function tinyModel(seed = 1): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
  return model;
}

export function syntheticData(n = 96, seed = 11): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = tf.randomNormal([n, 4], 0, 1, 'float32', seed) as tf.Tensor2D;
  const y = tf.tidy(() => x.mul(tf.tensor1d([1, -2, 0.5, 3])).sum(1, true)) as tf.Tensor2D;
  return { x, y };
}

/** Records the model's predictions on a probe batch after every epoch, by step (epoch + 1). */
export class PredictionRecorder extends tf.Callback {
  readonly byStep = new Map<number, number[]>();
  constructor(private readonly probe: tf.Tensor, private readonly firstStep = 1) {
    super();
  }
  override async onEpochEnd(epoch: number): Promise<void> {
    const y = this.model.predict(this.probe) as tf.Tensor;
    this.byStep.set(epoch + this.firstStep, Array.from(await y.data()));
    y.dispose();
  }
}

export interface Child {
  readonly process: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<number | null>;
}

export function runFixture(script: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, [path.join(FIXTURES, script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => { out += c; });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    process: child, stdout: () => out, stderr: () => err, exited,
    async waitFor(pattern, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`${script} printed no ${pattern}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
