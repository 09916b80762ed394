import { attr } from '@modelport/core';
import type { TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import type { BuiltinOperatorName } from '../schema/enums.js';
import { options } from '../schema/options.js';
import { normalizeAxis, reshapeTo } from './helpers.js';

/** Reductions over constant axes (negative ones normalised); no axes is a reshape at most. */
const reduce = (op: BuiltinOperatorName): TfliteOpConverter => (c) => {
  const x = c.input(0);
  const axes = [...new Set(c.ints(1, 'axes').map((a) => normalizeAxis(a, x.shape.length)))].sort();
  if (axes.length === 0) return c.out().shape.join() === x.shape.join() ? x : reshapeTo(c, x, c.out().shape);
  const keep = attr.bool(c.node, 'keep_dims', false);
  return c.emit(op, [x, c.constant('axes', 'int32', [axes.length], Int32Array.from(axes))], options('ReducerOptions', { keep_dims: keep }));
};

/** ArgMax/ArgMin return int32 here (tfjs's type too); TensorFlow's int64 default is an edge cast at most. */
const arg = (op: 'ARG_MAX' | 'ARG_MIN'): TfliteOpConverter => (c) => {
  const x = c.input(0);
  const axis = normalizeAxis(c.ints(1, 'axis')[0]!, x.shape.length);
  const kind = op === 'ARG_MAX' ? 'ArgMaxOptions' : 'ArgMinOptions';
  return c.emit(op, [x, c.constant('axis', 'int32', [1], Int32Array.of(axis))], options(kind, { output_type: 2 }));
};

export const reduceOps: TfliteOpTable = {
  Mean: reduce('MEAN'),
  Sum: reduce('SUM'),
  Max: reduce('REDUCE_MAX'),
  Min: reduce('REDUCE_MIN'),
  Prod: reduce('REDUCE_PROD'),
  Any: reduce('REDUCE_ANY'),
  All: reduce('REDUCE_ALL'),
  ArgMax: arg('ARG_MAX'),
  ArgMin: arg('ARG_MIN'),
};
