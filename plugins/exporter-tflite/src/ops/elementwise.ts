import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import type { BuiltinOperatorName } from '../schema/enums.js';
import { options, type BuiltinOptions } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';

// Ops whose options carry a fused activation: the options must be present for fusion to find them.
const ARITHMETIC_OPTIONS: Partial<Record<BuiltinOperatorName, () => BuiltinOptions>> = {
  ADD: () => options('AddOptions', { fused_activation_function: 0 }),
  SUB: () => options('SubOptions', { fused_activation_function: 0 }),
  MUL: () => options('MulOptions', { fused_activation_function: 0 }),
  DIV: () => options('DivOptions', { fused_activation_function: 0 }),
};

// ATAN2 does not broadcast at all; most other binary kernels broadcast up to rank 4 only.
const NO_BROADCAST = new Set<BuiltinOperatorName>(['ATAN2']);
const BROADCAST_6D = new Set<BuiltinOperatorName>(['ADD', 'SUB', 'MUL', 'DIV']);

/** Input `i` broadcast to the output shape by a BROADCAST_TO when the kernel cannot do it itself. */
function broadcastInput(c: TfliteConversion, op: BuiltinOperatorName, i: number): TfliteTensor {
  const x = c.input(i);
  const shape = c.out().shape;
  const needed = NO_BROADCAST.has(op) || (shape.length > 4 && !BROADCAST_6D.has(op));
  if (!needed || x.shape.join() === shape.join()) return x;
  if (c.out().dynamic) c.refuse(`${op} cannot broadcast, and the shape to broadcast to is only known at run time`);
  return c.emitTemp('BROADCAST_TO', [x, c.constant('shape', 'int32', [shape.length], Int32Array.from(shape))], x.dtype, shape);
}

/** A two-input op with NumPy broadcasting, as TFLite's builtins do it. */
export const binary = (op: BuiltinOperatorName): TfliteOpConverter => (c) => c.emit(op, [broadcastInput(c, op, 0), broadcastInput(c, op, 1)], ARITHMETIC_OPTIONS[op]?.());

/** Division: tfjs divides int32 by flooring (its reference results), floats exactly. */
const divide: TfliteOpConverter = (c) => (c.facts(0).dtype === 'int32' ? binary('FLOOR_DIV')(c) : binary('DIV')(c));

/** BiasAdd adds along the last (channel) axis: ADD's broadcasting does that in NHWC. */
const biasAdd: TfliteOpConverter = (c) => {
  const format = attr.string(c.node, 'data_format', 'NHWC');
  if (format !== 'NHWC') c.refuse(`data_format ${format}`);
  return binary('ADD')(c);
};

/** AddN as a chain of ADDs: XNNPACK runs ADD, not ADD_N. */
const addN: TfliteOpConverter = (c) => {
  const n = c.node.inputs.length;
  let acc = c.input(0);
  const out = c.out();
  for (let i = 1; i < n; i++) {
    const inputs = [acc, c.input(i)];
    acc = i === n - 1 ? c.emit('ADD', inputs, ARITHMETIC_OPTIONS.ADD!()) : c.emitTemp('ADD', inputs, out.dtype, out.shape, ARITHMETIC_OPTIONS.ADD!());
  }
  return acc;
};

/** Select (v1) picks whole rows when its condition is a vector; SELECT_V2 broadcasts, so a reshape makes it so. */
const select: TfliteOpConverter = (c) => {
  let cond: TfliteTensor = c.input(0);
  const rank = c.facts(1).shape.length;
  if (c.node.op === 'Select' && cond.shape.length === 1 && rank > 1) {
    // -1: the rows may be counted at run time (after Where / NMS).
    const shape = [-1, ...new Array<number>(rank - 1).fill(1)];
    const target = c.constant('cond_shape', 'int32', [rank], Int32Array.from(shape));
    cond = c.emitTemp('RESHAPE', [cond, target], cond.dtype, shape, options('ReshapeOptions', { new_shape: shape }));
  }
  return c.emit('SELECT_V2', [cond, broadcastInput(c, 'SELECT_V2', 1), broadcastInput(c, 'SELECT_V2', 2)]);
};

export const elementwiseOps: TfliteOpTable = {
  Add: binary('ADD'),
  AddV2: binary('ADD'),
  BiasAdd: biasAdd,
  AddN: addN,
  Sub: binary('SUB'),
  Mul: binary('MUL'),
  RealDiv: divide,
  Div: divide,
  FloorDiv: binary('FLOOR_DIV'),
  FloorMod: binary('FLOOR_MOD'),
  Maximum: binary('MAXIMUM'),
  Minimum: binary('MINIMUM'),
  Pow: binary('POW'),
  SquaredDifference: binary('SQUARED_DIFFERENCE'),
  Atan2: binary('ATAN2'),
  Equal: binary('EQUAL'),
  NotEqual: binary('NOT_EQUAL'),
  Less: binary('LESS'),
  LessEqual: binary('LESS_EQUAL'),
  Greater: binary('GREATER'),
  GreaterEqual: binary('GREATER_EQUAL'),
  LogicalAnd: binary('LOGICAL_AND'),
  LogicalOr: binary('LOGICAL_OR'),
  Select: select,
  SelectV2: select,
};

export { ARITHMETIC_OPTIONS };
