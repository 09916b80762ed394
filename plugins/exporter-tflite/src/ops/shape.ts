import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';
import { normalizeAxis, reshapeTo } from './helpers.js';

/**
 * Reshape, Squeeze, ExpandDims: a RESHAPE to the static output shape (no -1 left to resolve). The
 * target must be known at export time, unless the output is sized at run time anyway.
 */
const reshape: TfliteOpConverter = (c) => {
  const x = c.input(0);
  if (c.out().dynamic) return runTimeReshape(c, x);
  if (c.node.inputs.length > 1 && !c.out().proven) c.ints(1, c.node.op === 'ExpandDims' ? 'axis' : 'shape');
  const shape = c.out().shape;
  if (x.shape.join() === shape.join()) return x;
  return reshapeTo(c, x, shape);
};

/**
 * The same ops when the shapes are only known at run time (after Where / NMS, or sized by an input
 * value): the ops that say what to do rather than the shape that came out of the probe run.
 */
function runTimeReshape(c: TfliteConversion, x: TfliteTensor): TfliteTensor {
  if (c.node.op === 'Squeeze') return c.emit('SQUEEZE', [x], options('SqueezeOptions', { squeeze_dims: [...attr.ints(c.node, 'squeeze_dims', attr.ints(c.node, 'axis', []))] }));
  if (c.node.op === 'ExpandDims') return c.emit('EXPAND_DIMS', [x, c.intArgument(1, 'axis')]);
  return c.emit('RESHAPE', [x, c.intArgument(1, 'shape')]);
}
/** Transpose with a constant permutation; the identity permutation is no op at all. */
const transpose: TfliteOpConverter = (c) => {
  const x = c.input(0);
  const perm = c.ints(1, 'perm').map((p) => normalizeAxis(p, x.shape.length));
  if (perm.every((p, i) => p === i)) return x;
  return c.emit('TRANSPOSE', [x, c.constant('perm', 'int32', [perm.length], Int32Array.from(perm))]);
};

/** An op whose second input sizes its output (multiples, shape). */
const withIntArg = (op: 'TILE' | 'BROADCAST_TO', what: string): TfliteOpConverter => (c) => c.emit(op, [c.input(0), c.intArgument(1, what)]);

const fill: TfliteOpConverter = (c) => c.emit('FILL', [c.intArgument(0, 'dims'), c.input(1)]);

/** Range's length depends on its values: constant ones are folded unless too large. */
const range: TfliteOpConverter = (c) => {
  if (!c.out().dynamic && !c.out().proven) [0, 1, 2].forEach((i) => c.ints(i, ['start', 'limit', 'delta'][i]!));
  return c.emit('RANGE', [c.input(0), c.input(1), c.input(2)]);
};

/** Shape of a tensor whose shape is only known at run time. */
const shapeOf: TfliteOpConverter = (c: TfliteConversion): TfliteTensor => c.emit('SHAPE', [c.input(0)], options('ShapeOptions', { out_type: 2 }));

/** Size of a tensor whose shape is only known at run time: the product of its SHAPE. */
const sizeOf: TfliteOpConverter = (c) => {
  const shape = c.emitTemp('SHAPE', [c.input(0)], 'int32', [c.facts(0).shape.length], options('ShapeOptions', { out_type: 2 }));
  return c.emit('REDUCE_PROD', [shape, c.constant('axis', 'int32', [1], Int32Array.of(0))], options('ReducerOptions', { keep_dims: false }));
};

export const shapeOps: TfliteOpTable = {
  Reshape: reshape,
  Squeeze: reshape,
  ExpandDims: reshape,
  Transpose: transpose,
  Tile: withIntArg('TILE', 'multiples'),
  BroadcastTo: withIntArg('BROADCAST_TO', 'shape'),
  Fill: fill,
  Range: range,
  Shape: shapeOf,
  Size: sizeOf,
  Rank: (c) => c.emit('RANK', [c.input(0)]),
};
