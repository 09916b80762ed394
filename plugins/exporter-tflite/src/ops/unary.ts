import { tensorTypeOf } from '../tflite-dtype.js';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import type { BuiltinOperatorName } from '../schema/enums.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';

const unary = (op: BuiltinOperatorName): TfliteOpConverter => (c) => c.emit(op, [c.input(0)]);

/** Ops that pass their input through: the output is the same tensor. */
const identity: TfliteOpConverter = (c) => c.input(0);

/** TFLite has no reciprocal: 1 / x. */
const reciprocal: TfliteOpConverter = (c) => c.emit('DIV', [c.constant('one', 'float32', [], Float32Array.of(1)), c.input(0)], options('DivOptions', { fused_activation_function: 0 }));

/** Cast; a no-op when both types compute the same (int64 → int32, float64 → float32). */
const cast: TfliteOpConverter = (c: TfliteConversion): TfliteTensor => {
  const x = c.input(0);
  const to = c.out().dtype;
  if (x.dtype === to) return x;
  return c.emit('CAST', [x], options('CastOptions', { in_data_type: tensorTypeOf(x.dtype), out_data_type: tensorTypeOf(to) }));
};

export const unaryOps: TfliteOpTable = {
  Identity: identity,
  StopGradient: identity,
  Snapshot: identity,
  PreventGradient: identity,
  Cast: cast,
  Exp: unary('EXP'),
  Log: unary('LOG'),
  Sqrt: unary('SQRT'),
  Rsqrt: unary('RSQRT'),
  Square: unary('SQUARE'),
  Neg: unary('NEG'),
  Abs: unary('ABS'),
  Floor: unary('FLOOR'),
  Ceil: unary('CEIL'),
  Round: unary('ROUND'),
  Sin: unary('SIN'),
  Cos: unary('COS'),
  Sign: unary('SIGN'),
  LogicalNot: unary('LOGICAL_NOT'),
  ZerosLike: unary('ZEROS_LIKE'),
  Reciprocal: reciprocal,
};
