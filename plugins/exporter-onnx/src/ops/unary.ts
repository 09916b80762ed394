import { attr } from '@modelport/core';
import type { ConversionContext, OnnxOpConverter, OnnxOpTable } from '../converter.js';
import { cast, shapeOf } from '../emit-ops.js';
import { coerce, FOLD_LIMIT } from '../fold.js';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import { onnxAttr } from '../onnx-model.js';
import { computeDType } from '../onnx-dtype.js';
import { sizeOf, staticShape, type Value } from '../value.js';

/** An elementwise op of one input, folded when the input is known. */
function unary(onnxOp: string, fold?: (x: number) => number): OnnxOpConverter {
  return (ctx) => {
    const x = ctx.input(0);
    const s = staticShape(x.shape);
    if (fold && x.known && s) return ctx.emit.constant(x.dtype, s, x.known.map((v) => coerce(x.dtype, fold(v))));
    return ctx.emit.op(onnxOp, [x], {}, { dtype: x.dtype, shape: x.shape });
  };
}

function same(ctx: ConversionContext): Value {
  return ctx.input(0);
}

/** A tensor shaped like `like`, filled with `value`: a constant when the shape is static. */
export function filledLike(emit: OnnxGraphEmitter, like: Value, dtype: string, value: number): Value {
  const s = staticShape(like.shape);
  if (s && sizeOf(s) <= FOLD_LIMIT) return emit.constant(dtype, s, new Array(sizeOf(s)).fill(value));
  const fill = emit.constant(dtype, [1], [value]);
  return emit.op('ConstantOfShape', [shapeOf(emit, like)], { value: onnxAttr.tensor(emit.tensorOf(fill)!) }, { dtype, shape: like.shape });
}

function square(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const s = staticShape(x.shape);
  if (x.known && s) return ctx.emit.constant(x.dtype, s, x.known.map((v) => coerce(x.dtype, v * v)));
  return ctx.emit.op('Mul', [x, x], {}, { dtype: x.dtype, shape: x.shape });
}

function rsqrt(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const s = ctx.emit.op('Sqrt', [x], {}, { dtype: x.dtype, shape: x.shape });
  return ctx.emit.op('Reciprocal', [s], {}, { dtype: x.dtype, shape: x.shape });
}

function log1p(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  const p = ctx.emit.op('Add', [x, ctx.emit.scalar(x.dtype, 1)], {}, { dtype: x.dtype, shape: x.shape });
  return ctx.emit.op('Log', [p], {}, { dtype: x.dtype, shape: x.shape });
}

function clipByValue(ctx: ConversionContext): Value {
  const [x, lo, hi] = [ctx.input(0), ctx.input(1), ctx.input(2)];
  const e = ctx.emit;
  // Clip takes scalar bounds only; tensors of bounds go through Max and Min.
  if (lo.shape?.length === 0 && hi.shape?.length === 0) return e.op('Clip', [x, lo, hi], {}, { dtype: x.dtype, shape: x.shape });
  const m = e.op('Max', [x, lo], {}, { dtype: x.dtype, shape: x.shape });
  return e.op('Min', [m, hi], {}, { dtype: x.dtype, shape: x.shape });
}

export const unaryOps: OnnxOpTable = {
  Identity: same,
  Snapshot: same,
  StopGradient: same,
  PreventGradient: same,
  EnsureShape: same,
  Neg: unary('Neg', (x) => -x),
  Abs: unary('Abs', Math.abs),
  Sign: unary('Sign', Math.sign),
  Floor: unary('Floor', Math.floor),
  Ceil: unary('Ceil', Math.ceil),
  Round: unary('Round'),
  Sqrt: unary('Sqrt', Math.sqrt),
  Rsqrt: rsqrt,
  Square: square,
  Reciprocal: unary('Reciprocal', (x) => 1 / x),
  Inv: unary('Reciprocal', (x) => 1 / x),
  Exp: unary('Exp', Math.exp),
  Log: unary('Log', Math.log),
  Log1p: log1p,
  Sin: unary('Sin'), Cos: unary('Cos'), Tan: unary('Tan'),
  Asin: unary('Asin'), Acos: unary('Acos'), Atan: unary('Atan'),
  Sinh: unary('Sinh'), Cosh: unary('Cosh'), Asinh: unary('Asinh'), Acosh: unary('Acosh'), Atanh: unary('Atanh'),
  Erf: unary('Erf'),
  LogicalNot: unary('Not', (x) => +!x),
  IsNan: (ctx) => ctx.emit.op('IsNaN', [ctx.input(0)], {}, { dtype: 'bool', shape: ctx.input(0).shape }),
  ClipByValue: clipByValue,
  Cast: (ctx) => cast(ctx.emit, ctx.input(0), computeDType(attr.dtype(ctx.node, 'DstT'))),
  ZerosLike: (ctx) => filledLike(ctx.emit, ctx.input(0), ctx.input(0).dtype, 0),
  OnesLike: (ctx) => filledLike(ctx.emit, ctx.input(0), ctx.input(0).dtype, 1),
};
