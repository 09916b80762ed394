import { concreteShape, randomTensor, seededRandom } from '@modelport/core';
import type { CalibrationInput, SampleSource } from './types.js';

/** How many noise samples --calibration random makes unless calibrationSteps says otherwise. */
export const RANDOM_SAMPLES = 16;
/** Open dimensions other than the batch get this size in noise samples. */
const OPEN_DIMENSION = 16;

/**
 * Seeded noise shaped like the inputs (floats uniform in [0, 1), integers in [0, 10)): ranges
 * calibrated on it say little about real data, which the summary states.
 */
export function randomSource(inputs: readonly CalibrationInput[], count: number, seed: number): SampleSource {
  return {
    kind: 'random',
    count,
    describe: (i) => `noise sample ${i}`,
    async load(i) {
      const random = seededRandom(seed + i);
      return Object.fromEntries(inputs.map((input) => [input.name, randomTensor(input.dtype, concreteShape(input.shape, OPEN_DIMENSION), random)]));
    },
  };
}
