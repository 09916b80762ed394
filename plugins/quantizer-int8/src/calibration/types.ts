import type { DType, TensorData } from '@modelport/core';

/** One calibration sample: a tensor per signature input, keyed by the signature's input name. */
export type Sample = Readonly<Record<string, TensorData>>;

/** A signature input calibration data must feed. */
export interface CalibrationInput {
  /** The signature's name for it. */
  readonly name: string;
  /** The Placeholder node fed. */
  readonly node: string;
  readonly dtype: DType;
  /** -1 where the dimension is open; null when the rank is unknown. */
  readonly shape: readonly number[] | null;
}

/** Where samples come from: a count, and each sample read only when asked for. */
export interface SampleSource {
  readonly kind: 'images' | 'npy' | 'json' | 'random';
  readonly count: number;
  /** What sample `i` is read from, for messages ("a.png"). */
  describe(i: number): string;
  load(i: number): Promise<Sample>;
}

/** The samples a quantizer calibrates on, and those it keeps apart to measure accuracy. */
export interface CalibrationSet {
  readonly source: 'data' | 'random';
  readonly kind: SampleSource['kind'];
  readonly path?: string;
  readonly samples: readonly Sample[];
  readonly heldOut: readonly Sample[];
}
