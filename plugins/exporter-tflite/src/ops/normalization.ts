import { attr } from '@modelport/core';
import type { TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import { requireNhwc } from './helpers.js';

/**
 * FusedBatchNorm (inference): y = x·a + b with a = scale/√(var+ε), b = offset − mean·a, computed at
 * export time from the constant statistics: one MUL and one ADD.
 */
const fusedBatchNorm: TfliteOpConverter = (c) => {
  requireNhwc(c);
  if (attr.bool(c.node, 'is_training', false)) c.refuse('is_training');
  const [scale, offset, mean, variance] = [1, 2, 3, 4].map((i) => c.value(i));
  if (!scale || !offset || !mean || !variance) return c.refuse('statistics computed at run time');
  const eps = attr.float(c.node, 'epsilon', 1e-3);
  const n = scale.length;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = Number(scale[i]) / Math.sqrt(Number(variance[i]) + eps);
    b[i] = Number(offset[i]) - Number(mean[i]) * a[i]!;
  }
  const out = c.out();
  const scaled = c.emitTemp('MUL', [c.input(0), c.constant('scale', 'float32', [n], a, 1)], out.dtype, out.shape, options('MulOptions', { fused_activation_function: 0 }));
  return c.emit('ADD', [scaled, c.constant('shift', 'float32', [n], b, 1)], options('AddOptions', { fused_activation_function: 0 }));
};

export const normalizationOps: TfliteOpTable = {
  FusedBatchNorm: fusedBatchNorm,
  FusedBatchNormV2: fusedBatchNorm,
  FusedBatchNormV3: fusedBatchNorm,
};
