import {
  add, constant, constantValue, floorDiv, floorMod, isConstant, isIntegral, max, min, mul, neg, realDiv, roundHalfEven, roundReal, sub, type DimExpr,
} from '../dim-expr.js';
import type { SymbolicDim } from '../tensor-facts.js';

const isInt = (dtype: string) => /^u?int/.test(dtype);
const isBool = (dtype: string) => dtype === 'bool';

/** A concrete result in the tensor's dtype: int32 wraps, float32 rounds, bool is 0/1. */
function typed(x: number, dtype: string): number | undefined {
  if (!Number.isFinite(x) && isInt(dtype)) return undefined;
  if (dtype === 'int32') return x | 0;
  if (isInt(dtype)) return Math.trunc(x);
  if (isBool(dtype)) return x ? 1 : 0;
  // tfjs has no float64: such tensors are float32 when the model runs, so they are computed as such.
  if (dtype === 'float32' || dtype === 'float64') return Math.fround(x);
  return x;
}

/** The remainder with the sign of the divisor, from the exact fmod. */
function floorModNumber(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && (m < 0) !== (b < 0) ? m + b : m;
}

type Binary = (a: DimExpr, b: DimExpr, dtype: string) => SymbolicDim;
type Concrete = (a: number, b: number, dtype: string) => number | undefined;

function binary(concrete: Concrete, symbolic?: Binary): (a: SymbolicDim, b: SymbolicDim, dtype: string) => SymbolicDim {
  return (a, b, dtype) => {
    if (a === null || b === null) return null;
    const x = constantValue(a), y = constantValue(b);
    if (x !== undefined && y !== undefined) {
      const r = concrete(x, y, dtype);
      const t = r === undefined ? undefined : typed(r, dtype);
      return t === undefined ? null : constant(t);
    }
    return symbolic ? symbolic(a, b, dtype) : null;
  };
}

/** Compares two expressions when their difference is a constant. */
function compare(test: (d: number) => boolean): Binary {
  return (a, b) => {
    const d = sub(a, b);
    return isConstant(d) ? constant(test(d.constant) ? 1 : 0) : null;
  };
}

const intDivisor = (b: DimExpr) => {
  const k = constantValue(b);
  return k !== undefined && Number.isInteger(k) && k !== 0 ? k : undefined;
};

/**
 * Elementwise value arithmetic on tracked values, exact for constants, symbolic where a canonical
 * form exists. Only correctly rounded operations are here: a transcendental (Exp, Pow, Atan2…)
 * computed in JavaScript may differ from the runtime's by an ulp, and a size cast from it by one.
 */
export const BINARY_VALUE_OPS: Readonly<Partial<Record<string, (a: SymbolicDim, b: SymbolicDim, dtype: string) => SymbolicDim>>> = {
  Add: binary((a, b) => a + b, (a, b) => add(a, b)),
  AddV2: binary((a, b) => a + b, (a, b) => add(a, b)),
  Sub: binary((a, b) => a - b, (a, b) => sub(a, b)),
  Mul: binary((a, b) => a * b, (a, b) => mul(a, b)),
  RealDiv: binary((a, b, t) => (isInt(t) ? (b === 0 ? undefined : Math.trunc(a / b)) : a / b), (a, b, t) => (isInt(t) ? null : realDiv(a, b))),
  Div: binary((a, b, t) => (isInt(t) ? (b === 0 ? undefined : Math.floor(a / b)) : a / b), (a, b, t) => (isInt(t) ? (intDivisor(b) ? floorDiv(a, intDivisor(b)!) : null) : realDiv(a, b))),
  // In floats the quotient is rounded to float32 before the floor, as the runtime does.
  FloorDiv: binary((a, b, t) => (isInt(t) ? (b === 0 ? undefined : Math.floor(a / b)) : Math.floor(Math.fround(a / b))), (a, b, t) => (intDivisor(b) && isIntegral(a) ? floorDiv(a, intDivisor(b)!) : isInt(t) ? null : roundReal('floor', realDiv(a, b)))),
  FloorMod: binary((a, b, t) => (b === 0 && isInt(t) ? undefined : floorModNumber(a, b)), (a, b) => (intDivisor(b) && isIntegral(a) ? floorMod(a, intDivisor(b)!) : null)),
  Maximum: binary((a, b) => Math.max(a, b), (a, b) => max(a, b)),
  Minimum: binary((a, b) => Math.min(a, b), (a, b) => min(a, b)),
  SquaredDifference: binary((a, b) => (a - b) * (a - b), (a, b) => mul(sub(a, b), sub(a, b))),
  Equal: binary((a, b) => Number(a === b), compare((d) => d === 0)),
  NotEqual: binary((a, b) => Number(a !== b), compare((d) => d !== 0)),
  Greater: binary((a, b) => Number(a > b), compare((d) => d > 0)),
  GreaterEqual: binary((a, b) => Number(a >= b), compare((d) => d >= 0)),
  Less: binary((a, b) => Number(a < b), compare((d) => d < 0)),
  LessEqual: binary((a, b) => Number(a <= b), compare((d) => d <= 0)),
  LogicalAnd: binary((a, b) => Number(a !== 0 && b !== 0)),
  LogicalOr: binary((a, b) => Number(a !== 0 || b !== 0)),
};

type Unary = (a: SymbolicDim, dtype: string, from: string) => SymbolicDim;

function unary(concrete: (a: number) => number, symbolic?: (a: DimExpr, dtype: string, from: string) => SymbolicDim): Unary {
  return (a, dtype, from) => {
    if (a === null) return null;
    const x = constantValue(a);
    if (x !== undefined) {
      const r = typed(concrete(x), dtype);
      return r === undefined ? null : constant(r);
    }
    return symbolic ? symbolic(a, dtype, from) : null;
  };
}

/** Cast: int → float keeps the value; float → int truncates (TensorFlow and tfjs agree); → bool tests ≠ 0. */
const cast: Unary = (a, to, from) => {
  if (a === null) return null;
  const x = constantValue(a);
  if (x !== undefined) {
    const t = typed(isInt(to) ? Math.trunc(x) : isBool(to) ? Number(x !== 0) : x, to);
    return t === undefined ? null : constant(t);
  }
  if (isBool(to)) return null;
  return isInt(to) && !isInt(from) ? roundReal('trunc', a) : a;
};

export const UNARY_VALUE_OPS: Readonly<Partial<Record<string, Unary>>> = {
  Identity: (a) => a,
  Cast: cast,
  Neg: unary((a) => -a, (a) => neg(a)),
  Abs: unary(Math.abs),
  Floor: unary(Math.floor, (a) => roundReal('floor', a)),
  Ceil: unary(Math.ceil, (a) => roundReal('ceil', a)),
  Round: unary(roundHalfEven, (a) => roundReal('round', a)),
  Square: unary((a) => a * a, (a) => mul(a, a)),
  Sqrt: unary(Math.sqrt),
  Reciprocal: unary((a) => 1 / a, (a) => realDiv(constant(1), a)),
  Sign: unary(Math.sign),
  Relu: unary((a) => Math.max(a, 0), (a) => max(a, constant(0))),
  LogicalNot: unary((a) => Number(a === 0)),
};
