/**
 * The values of --quantize. Weight storage: float16 (every target), uint8 and uint16 (tfjs's
 * weight manifest). Integer modes, named after the model garden's TFLite export modes: dynamic
 * (int8 weights, float activations), int8 (int8 weights and activations, float where an op has no
 * int8 kernel, float inputs and outputs), int8-full (integers only, --io-type at the edges).
 */
export const QUANTIZE_MODES = ['float16', 'uint8', 'uint16', 'dynamic', 'int8', 'int8-full'] as const;
export type QuantizeMode = (typeof QUANTIZE_MODES)[number];

/** Modes whose activations are int8: they need calibration data. */
export function quantizesActivations(mode: QuantizeMode | undefined): boolean {
  return mode === 'int8' || mode === 'int8-full';
}

/** What an accuracy target measures against the float model: output cosine, or top-1 agreement. */
export interface AccuracyTarget {
  readonly metric: 'cosine' | 'top1';
  readonly value: number;
}

/** "cosine=0.99" / "top1=0.98" → { metric, value }. */
export function parseAccuracyTarget(text: string): AccuracyTarget {
  const m = /^\s*(cosine|top1)\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(text);
  if (!m) throw new Error(`accuracy target "${text}" is not cosine=VALUE or top1=VALUE`);
  const value = Number(m[2]);
  if (!(value > 0 && value <= 1)) throw new Error(`accuracy target "${text}": the value must be in (0, 1]`);
  return { metric: m[1] as AccuracyTarget['metric'], value };
}
