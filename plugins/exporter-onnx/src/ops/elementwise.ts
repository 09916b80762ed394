import type { ConversionContext, OnnxOpConverter, OnnxOpTable } from '../converter.js';
import { foldElementwise } from '../fold.js';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import { onnxAttr, type OnnxAttr } from '../onnx-model.js';
import { isFloatDType } from '../onnx-dtype.js';
import { broadcastShapes } from '../shapes.js';
import type { Value } from '../value.js';

/** Output shape of broadcasting inputs; a clash is a GraphError naming the node. */
export function broadcastOf(ctx: ConversionContext, inputs: readonly Value[]): readonly number[] | null {
  let shape: readonly number[] | null = [];
  for (const v of inputs) {
    const next = broadcastShapes(shape, v.shape);
    if (next === undefined) throw ctx.fail(`shapes ${inputs.map((i) => `[${i.shape}]`).join(' and ')} do not broadcast`);
    shape = next;
  }
  return shape;
}

/** An elementwise op, folded when every input is known (shape arithmetic). */
export function elementwise(ctx: ConversionContext, onnxOp: string, inputs: readonly Value[], dtype: string, fold?: (...xs: number[]) => number, attrs: Record<string, OnnxAttr> = {}): Value {
  const shape = broadcastOf(ctx, inputs);
  const folded = fold && foldElementwise(inputs, dtype, fold);
  if (folded) return ctx.emit.constant(dtype, folded.shape, folded.known);
  return ctx.emit.op(onnxOp, inputs, attrs, { dtype, shape });
}

const binary = (onnxOp: string, fold?: (a: number, b: number) => number): OnnxOpConverter => (ctx) =>
  elementwise(ctx, onnxOp, [ctx.input(0), ctx.input(1)], ctx.input(0).dtype, fold);

const compare = (onnxOp: string, fold: (a: number, b: number) => number): OnnxOpConverter => (ctx) =>
  elementwise(ctx, onnxOp, [ctx.input(0), ctx.input(1)], 'bool', fold);

/** a / b rounded down; for integers exact (ONNX Div truncates toward zero). */
function floorDiv(ctx: ConversionContext): Value {
  const [a, b] = [ctx.input(0), ctx.input(1)];
  const fold = foldElementwise([a, b], a.dtype, (x, y) => Math.floor(x / y));
  if (fold) return ctx.emit.constant(a.dtype, fold.shape, fold.known);
  const shape = broadcastOf(ctx, [a, b]);
  const e = ctx.emit;
  if (isFloatDType(a.dtype)) return e.op('Floor', [e.op('Div', [a, b], {}, { dtype: a.dtype, shape })], {}, { dtype: a.dtype, shape });
  // (a - mod(a, b)) / b with Python's mod (sign of b) divides exactly.
  const mod = e.op('Mod', [a, b], { fmod: onnxAttr.int(0) }, { dtype: a.dtype, shape });
  return e.op('Div', [e.op('Sub', [a, mod], {}, { dtype: a.dtype, shape }), b], {}, { dtype: a.dtype, shape });
}

/** TF's FloorMod: the result has the sign of the divisor. */
function floorMod(ctx: ConversionContext): Value {
  const [a, b] = [ctx.input(0), ctx.input(1)];
  const fold = foldElementwise([a, b], a.dtype, (x, y) => x - Math.floor(x / y) * y);
  if (fold) return ctx.emit.constant(a.dtype, fold.shape, fold.known);
  const shape = broadcastOf(ctx, [a, b]);
  const e = ctx.emit;
  if (!isFloatDType(a.dtype)) return e.op('Mod', [a, b], { fmod: onnxAttr.int(0) }, { dtype: a.dtype, shape });
  // ONNX's float Mod (fmod) takes the dividend's sign; a - floor(a / b) · b does not.
  const q = e.op('Floor', [e.op('Div', [a, b], {}, { dtype: a.dtype, shape })], {}, { dtype: a.dtype, shape });
  return e.op('Sub', [a, e.op('Mul', [q, b], {}, { dtype: a.dtype, shape })], {}, { dtype: a.dtype, shape });
}

/** tfjs divides int32 tensors with floor division for Div; RealDiv is float division. */
function div(ctx: ConversionContext): Value {
  const a = ctx.input(0);
  if (!isFloatDType(a.dtype)) return floorDiv(ctx);
  return elementwise(ctx, 'Div', [a, ctx.input(1)], a.dtype, (x, y) => x / y);
}

function squaredDifference(ctx: ConversionContext): Value {
  const d = elementwise(ctx, 'Sub', [ctx.input(0), ctx.input(1)], ctx.input(0).dtype, (x, y) => x - y);
  return elementwise(ctx, 'Mul', [d, d], d.dtype, (x, y) => x * y);
}

/** x / y, 0 where y is 0. */
function divNoNan(ctx: ConversionContext): Value {
  const [a, b] = [ctx.input(0), ctx.input(1)];
  const e = ctx.emit;
  const shape = broadcastOf(ctx, [a, b]);
  const zero = e.scalar(b.dtype, 0);
  const isZero = e.op('Equal', [b, zero], {}, { dtype: 'bool', shape: b.shape });
  const safe = e.op('Where', [isZero, e.scalar(b.dtype, 1), b], {}, { dtype: b.dtype, shape: b.shape });
  const q = e.op('Div', [a, safe], {}, { dtype: a.dtype, shape });
  return e.op('Where', [isZero, zero, q], {}, { dtype: a.dtype, shape });
}

/** AddN: ONNX Sum (floats); integers as a chain of Adds, which every runtime has. */
function addN(ctx: ConversionContext): Value {
  const xs = ctx.inputs;
  if (xs.length === 1) return xs[0]!;
  if (isFloatDType(xs[0]!.dtype) && !xs.every((x) => x.known)) return ctx.emit.op('Sum', xs, {}, { dtype: xs[0]!.dtype, shape: broadcastOf(ctx, xs) });
  return xs.slice(1).reduce((acc, x) => elementwise(ctx, 'Add', [acc, x], acc.dtype, (p, q) => p + q), xs[0]!);
}

/** atan2(y, x) from Atan and the quadrant, as ONNX has no Atan2. */
function atan2(ctx: ConversionContext): Value {
  const [y, x] = [ctx.input(0), ctx.input(1)];
  const e = ctx.emit;
  const shape = broadcastOf(ctx, [y, x]);
  const f = { dtype: y.dtype, shape };
  const b = { dtype: 'bool', shape };
  const zero = e.scalar(y.dtype, 0);
  const xIsZero = e.op('Equal', [x, zero], {}, b);
  const safeX = e.op('Where', [xIsZero, e.scalar(x.dtype, 1), x], {}, f);
  const base = e.op('Atan', [e.op('Div', [y, safeX], {}, f)], {}, f);
  const pi = e.scalar(y.dtype, Math.PI);
  const yNeg = e.op('Less', [y, zero], {}, b);
  const shift = e.op('Where', [yNeg, e.op('Neg', [pi], {}, { dtype: y.dtype, shape: [] }), pi], {}, f);
  const xNeg = e.op('Less', [x, zero], {}, b);
  const adjusted = e.op('Where', [xNeg, e.op('Add', [base, shift], {}, f), base], {}, f);
  // x = 0: ±π/2 by the sign of y, 0 when y is 0 too.
  const halfPi = e.op('Mul', [e.op('Sign', [y], {}, f), e.scalar(y.dtype, Math.PI / 2)], {}, f);
  return e.op('Where', [xIsZero, halfPi, adjusted], {}, f);
}

function logical(onnxOp: 'And' | 'Or' | 'Xor', fold: (a: number, b: number) => number): OnnxOpConverter {
  return (ctx) => elementwise(ctx, onnxOp, [ctx.input(0), ctx.input(1)], 'bool', fold);
}

function notEqual(e: OnnxGraphEmitter, eq: Value): Value {
  return e.op('Not', [eq], {}, { dtype: 'bool', shape: eq.shape });
}

export const elementwiseOps: OnnxOpTable = {
  Add: binary('Add', (a, b) => a + b),
  AddV2: binary('Add', (a, b) => a + b),
  BiasAdd: binary('Add', (a, b) => a + b),
  Sub: binary('Sub', (a, b) => a - b),
  Mul: binary('Mul', (a, b) => a * b),
  RealDiv: binary('Div', (a, b) => a / b),
  Div: div,
  DivNoNan: divNoNan,
  FloorDiv: floorDiv,
  FloorMod: floorMod,
  Maximum: binary('Max', Math.max),
  Minimum: binary('Min', Math.min),
  Pow: binary('Pow', (a, b) => a ** b),
  SquaredDifference: squaredDifference,
  Atan2: atan2,
  AddN: addN,
  Equal: compare('Equal', (a, b) => +(a === b)),
  NotEqual: (ctx) => {
    const eq = elementwise(ctx, 'Equal', [ctx.input(0), ctx.input(1)], 'bool', (a, b) => +(a === b));
    return eq.known ? ctx.emit.constant('bool', eq.shape as number[], eq.known.map((v) => 1 - v)) : notEqual(ctx.emit, eq);
  },
  Less: compare('Less', (a, b) => +(a < b)),
  LessEqual: compare('LessOrEqual', (a, b) => +(a <= b)),
  Greater: compare('Greater', (a, b) => +(a > b)),
  GreaterEqual: compare('GreaterOrEqual', (a, b) => +(a >= b)),
  LogicalAnd: logical('And', (a, b) => +(a && b)),
  LogicalOr: logical('Or', (a, b) => +(a || b)),
};

