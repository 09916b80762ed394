import { allocValues, sizeOfShape, type DType, type TypedArray } from '../graph/dtype.js';
import type { Shape } from '../graph/types.js';
import { numberToFloat16Bits } from '../graph/float16.js';

/**
 * A tensor outside any runtime: what predictors take and return. bool is a Uint8Array of 0/1;
 * float16 is a Uint16Array of raw IEEE half bits (runtimes may answer float32 instead).
 */
export interface TensorData {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray | readonly string[];
}

/** A small deterministic generator (mulberry32), so validation inputs are the same run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replaces unknown dimensions (-1) with `fill` (1 for a batch-like first axis, else `fill`). */
export function concreteShape(shape: Shape, fill = 1): number[] {
  if (shape === null) return [1];
  return shape.map((d, i) => (d >= 0 ? d : i === 0 ? 1 : fill));
}

/**
 * A random tensor for a signature input: floats uniform in [0, 1) (images are usually scaled so),
 * integers in [0, 10), bools 0/1.
 */
export function randomTensor(dtype: DType, shape: readonly number[], random: () => number): TensorData {
  const size = sizeOfShape(shape);
  if (dtype === 'string') return { dtype, shape, data: Array.from({ length: size }, () => 'x') };
  const data = allocValues(dtype, size);
  if (data instanceof BigInt64Array) for (let i = 0; i < size; i++) data[i] = BigInt(Math.floor(random() * 10));
  else if (dtype === 'bool') for (let i = 0; i < size; i++) data[i] = random() < 0.5 ? 0 : 1;
  else if (dtype === 'float16') for (let i = 0; i < size; i++) data[i] = numberToFloat16Bits(random()); // raw half bits, as allocValues holds them
  else if (dtype.startsWith('float')) for (let i = 0; i < size; i++) data[i] = random();
  else for (let i = 0; i < size; i++) data[i] = Math.floor(random() * 10);
  return { dtype, shape, data };
}
