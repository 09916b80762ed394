import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { seededRandom } from '@modelport/core';
import { REPO_ROOT } from './paths.js';

/** scikit-learn's handwritten digits, fetched at setup by scripts/fetch-test-data.mjs. */
export const DIGITS_FILE = path.join(REPO_ROOT, '.test-data', 'sklearn', 'digits.csv.gz');

export function digitsAvailable(): boolean {
  return existsSync(DIGITS_FILE);
}

/** Digits as 8×8 images scaled to [0, 1] (pixels 0–16 / 16), row after row, and their labels. */
export interface Digits {
  readonly count: number;
  readonly pixels: Float32Array;
  readonly labels: Int32Array;
}

export const DIGIT_PIXELS = 64;

/** Reads digits.csv.gz: one digit per line, 64 pixel values 0–16 and the label. */
export async function readDigits(file = DIGITS_FILE): Promise<Digits> {
  const lines = gunzipSync(await fs.readFile(file)).toString('utf8').trim().split('\n');
  const pixels = new Float32Array(lines.length * DIGIT_PIXELS);
  const labels = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const values = line.split(',').map(Number);
    if (values.length !== DIGIT_PIXELS + 1) throw new Error(`${file} line ${i + 1}: ${values.length} values, expected ${DIGIT_PIXELS + 1}`);
    for (let j = 0; j < DIGIT_PIXELS; j++) pixels[i * DIGIT_PIXELS + j] = values[j]! / 16;
    labels[i] = values[DIGIT_PIXELS]!;
  });
  return { count: lines.length, pixels, labels };
}

function pick(d: Digits, rows: readonly number[]): Digits {
  const pixels = new Float32Array(rows.length * DIGIT_PIXELS);
  rows.forEach((r, i) => pixels.set(d.pixels.subarray(r * DIGIT_PIXELS, (r + 1) * DIGIT_PIXELS), i * DIGIT_PIXELS));
  return { count: rows.length, pixels, labels: Int32Array.from(rows, (r) => d.labels[r]!) };
}

/** A seeded shuffle split into `trainCount` training digits and the rest held out: the same every run. */
export function splitDigits(d: Digits, trainCount: number, seed = 2024): { train: Digits; heldOut: Digits } {
  const order = Array.from({ length: d.count }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return { train: pick(d, order.slice(0, trainCount)), heldOut: pick(d, order.slice(trainCount)) };
}

/** The fraction of `predicted` labels equal to the digits' labels. */
export function accuracyOf(predicted: ArrayLike<number>, d: Digits): number {
  let right = 0;
  for (let i = 0; i < d.count; i++) if (predicted[i] === d.labels[i]) right++;
  return right / d.count;
}
