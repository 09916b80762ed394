import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';
import { normalizeAxis, reshapeTo } from './helpers.js';

/**
 * Reshape, Squeeze, ExpandDims: a RESHAPE to the static output shape (no -1 left to resolve). The
 * target must be known at export time: one computed from input data would only hold for the data
 * the shapes were learnt with.
 */
const reshape: TfliteOpConverter = (c) => {
  if (c.facts(0).sizedByData) c.refuse('reshapes the output of Where / NMS, whose size depends on input data; a static RESHAPE would only hold for the data the shapes were learnt with');
  if (c.node.inputs.length > 1) c.ints(1, c.node.op === 'ExpandDims' ? 'axis' : 'shape');
  const x = c.input(0);
  const shape = c.out().shape;
  if (x.shape.join() === shape.join()) return x;
  return reshapeTo(c, x, shape);
};

/** Transpose with a constant permutation; the identity permutation is no op at all. */
const transpose: TfliteOpConverter = (c) => {
  const x = c.input(0);
  const perm = c.ints(1, 'perm').map((p) => normalizeAxis(p, x.shape.length));
  if (perm.every((p, i) => p === i)) return x;
  return c.emit('TRANSPOSE', [x, c.constant('perm', 'int32', [perm.length], Int32Array.from(perm))]);
};

/** An op whose second input TFLite wants as a constant int32 tensor (multiples, shape). */
const withIntArg = (op: 'TILE' | 'BROADCAST_TO', what: string): TfliteOpConverter => (c) => {
  const arg = c.ints(1, what);
  return c.emit(op, [c.input(0), c.constant(what, 'int32', [arg.length], Int32Array.from(arg))]);
};

const fill: TfliteOpConverter = (c) => {
  const dims = c.ints(0, 'dims');
  return c.emit('FILL', [c.constant('dims', 'int32', [dims.length], Int32Array.from(dims)), c.input(1)]);
};

/** Range's shape depends on its values: they must be constant (then it is folded unless too large). */
const range: TfliteOpConverter = (c) => {
  [0, 1, 2].forEach((i) => c.ints(i, ['start', 'limit', 'delta'][i]!));
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
