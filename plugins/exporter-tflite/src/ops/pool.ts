import type { TfliteConversion, TfliteOpTable } from '../conversion.js';
import type { BuiltinOperatorName } from '../schema/enums.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';
import { paddingValue, requireNhwc, spatial, windowPadding } from './helpers.js';

/** MaxPool / AvgPool. TFLite's SAME average excludes the padding from the count, as TensorFlow does. */
const pool = (op: BuiltinOperatorName) => (c: TfliteConversion): TfliteTensor => {
  requireNhwc(c);
  const { padding, explicit } = windowPadding(c);
  if (explicit) c.refuse('EXPLICIT padding');
  const k = spatial(c, 'ksize');
  const s = spatial(c, 'strides');
  return c.emit(op, [c.input(0)], options('Pool2DOptions', {
    padding: paddingValue(padding), filter_height: k.h, filter_width: k.w, stride_h: s.h, stride_w: s.w, fused_activation_function: 0,
  }));
};

export const poolOps: TfliteOpTable = {
  MaxPool: pool('MAX_POOL_2D'),
  AvgPool: pool('AVERAGE_POOL_2D'),
};
