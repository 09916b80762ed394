import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { isChannelsLast } from '../layout.js';
import type { Value } from '../value.js';

/**
 * FusedBatchNorm (inference): y = x·a + b with a = scale/√(var+ε), b = offset − mean·a, computed at
 * export time from the constant statistics; NHWC, so a and b broadcast along the last axis. Frozen
 * TensorFlow graphs (SavedModels) keep it where tfjs models have it folded into the convolution.
 */
function fusedBatchNorm(ctx: ConversionContext): Value {
  if (attr.bool(ctx.node, 'is_training', false)) throw new UnsupportedVariant('is_training = true (batch statistics at run time)');
  if (!isChannelsLast(attr.string(ctx.node, 'data_format', 'NHWC'))) throw new UnsupportedVariant('data_format NCHW');
  const x = ctx.input(0);
  const [scale, offset, mean, variance] = [1, 2, 3, 4].map((i) => ctx.known(i, 'batch-norm statistics'));
  const eps = attr.float(ctx.node, 'epsilon', 1e-3);
  const n = scale!.length;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = scale![i]! / Math.sqrt(variance![i]! + eps);
    b[i] = offset![i]! - mean![i]! * a[i]!;
  }
  const e = ctx.emit;
  const scaled = e.op('Mul', [x, e.constant('float32', [n], a, `${ctx.node.name}/scale`)], {}, { dtype: x.dtype, shape: x.shape });
  return e.op('Add', [scaled, e.constant('float32', [n], b, `${ctx.node.name}/shift`)], {}, { dtype: x.dtype, shape: x.shape });
}

export const normalizationOps: OnnxOpTable = {
  FusedBatchNorm: fusedBatchNorm,
  FusedBatchNormV2: fusedBatchNorm,
  FusedBatchNormV3: fusedBatchNorm,
};
