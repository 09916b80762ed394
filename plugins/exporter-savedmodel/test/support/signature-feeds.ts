import { concreteShape, randomTensor, seededRandom, type DType, type Signature, type TensorData } from '@modelport/core';

/**
 * Inputs models take as they are meant to: rvm's recurrent states start as scalar zeros and its
 * downsample ratio is a scalar (random [0, 1) values would resize a frame to nothing).
 */
const OVERRIDES: Readonly<Record<string, Readonly<Record<string, { shape: number[]; value?: number }>>>> = {
  rvm: {
    src: { shape: [1, 96, 128, 3] },
    downsample_ratio: { shape: [], value: 0.5 },
    r1i: { shape: [], value: 0 }, r2i: { shape: [], value: 0 }, r3i: { shape: [], value: 0 }, r4i: { shape: [], value: 0 },
  },
};

/** Seeded random inputs for a signature, by its input keys; open dims 1 (batch) or `fill`. */
export function signatureFeeds(model: string, signature: Signature, fill = 64, seed = 1): Record<string, TensorData> {
  const random = seededRandom(seed);
  const feeds: Record<string, TensorData> = {};
  for (const [key, t] of Object.entries(signature.inputs)) {
    const o = OVERRIDES[model]?.[key] ?? OVERRIDES[model]?.[t.name.split(':')[0]!];
    const shape = o?.shape ?? concreteShape(t.shape, fill);
    feeds[key] = o?.value !== undefined
      ? { dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((n, d) => n * d, 1) }, () => o.value!) }
      : randomTensor(t.dtype as DType, shape, random);
  }
  return feeds;
}
