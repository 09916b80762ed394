import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';
import { normalizeAxis } from './helpers.js';

/** ConcatV2(values…, axis) and Concat(axis, values…): the axis becomes an option. */
const concat = (axisFirst: boolean): TfliteOpConverter => (c) => {
  const n = c.node.inputs.length - 1;
  const axisInput = axisFirst ? 0 : n;
  const first = axisFirst ? 1 : 0;
  const axis = normalizeAxis(c.ints(axisInput, 'axis')[0]!, c.out().shape.length);
  const values = Array.from({ length: n }, (_, i) => c.input(first + i));
  if (values.length === 1) return values[0]!;
  return c.emit('CONCATENATION', values, options('ConcatenationOptions', { axis, fused_activation_function: 0 }));
};

const pack: TfliteOpConverter = (c) => {
  const n = c.node.inputs.length;
  const axis = normalizeAxis(attr.int(c.node, 'axis', 0), c.out().shape.length);
  return c.emit('PACK', Array.from({ length: n }, (_, i) => c.input(i)), options('PackOptions', { values_count: n, axis }));
};

/** Emits a multi-output op, one new tensor per output. */
function emitMulti(c: TfliteConversion, op: 'UNPACK' | 'SPLIT' | 'SPLIT_V', inputs: TfliteTensor[], count: number, opts: Parameters<TfliteConversion['emit']>[2]): TfliteTensor[] {
  const outs = Array.from({ length: count }, (_, i) => c.output(i));
  c.subgraph.op(op, inputs, outs, opts);
  return outs;
}

const unpack: TfliteOpConverter = (c) => {
  const x = c.input(0);
  const axis = normalizeAxis(attr.int(c.node, 'axis', 0), x.shape.length);
  const num = attr.int(c.node, 'num', x.shape[axis]!);
  return emitMulti(c, 'UNPACK', [x], num, options('UnpackOptions', { num, axis }));
};

/** Split(axis, value): SPLIT takes the axis as a tensor first too. */
const split: TfliteOpConverter = (c) => {
  const x = c.input(1);
  const axis = normalizeAxis(c.ints(0, 'axis')[0]!, x.shape.length);
  const num = attr.int(c.node, 'num_split');
  return emitMulti(c, 'SPLIT', [c.constant('axis', 'int32', [], Int32Array.of(axis)), x], num, options('SplitOptions', { num_splits: num }));
};

/** SplitV(value, size_splits, axis), a -1 size resolved from the static shape (left to the kernel when sized at run time). */
const splitV: TfliteOpConverter = (c) => {
  const x = c.input(0);
  const axis = normalizeAxis(c.ints(2, 'axis')[0]!, x.shape.length);
  const num = attr.int(c.node, 'num_split');
  const sizes = c.out().dynamic ? c.intArgument(1, 'size_splits')
    : (c.out().proven || c.ints(1, 'size_splits'), c.constant('size_splits', 'int32', [num], Int32Array.from({ length: num }, (_, i) => c.out(i).shape[axis]!)));
  return emitMulti(c, 'SPLIT_V', [x, sizes, c.constant('axis', 'int32', [], Int32Array.of(axis))],
    num, options('SplitVOptions', { num_splits: num }));
};

export const joinOps: TfliteOpTable = {
  ConcatV2: concat(false),
  Concat: concat(true),
  Pack: pack,
  Unpack: unpack,
  Split: split,
  SplitV: splitV,
};
