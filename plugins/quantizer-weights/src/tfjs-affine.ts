import type { Quantization } from '@modelport/core';

/**
 * tfjs's affine weight storage for `values`, as the tfjs converter computes it: the range widened
 * to hold 0, scale = (max − min) / levels, and the zero point rounded to a whole level so that 0
 * stays exact (zero padding, ReLU outputs). In the IR's form, scale [s] and zero point −min / s,
 * which is that whole level; tfjs writes min = −zeroPoint × s.
 */
export function tfjsAffineQuantization(values: ArrayLike<number>, dtype: 'uint8' | 'uint16'): Quantization {
  const levels = dtype === 'uint8' ? 255 : 65535;
  let lo = 0, hi = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? (hi - lo) / levels : 1;
  // + 0: a range with no negatives gives −0, which is 0.
  return { dtype, scale: [scale], zeroPoint: [Math.round(-lo / scale) + 0] };
}
