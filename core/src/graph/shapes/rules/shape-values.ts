import type { ConstantTensor } from '../../types.js';
import { constant, constantValue, isIntegral, max, roundReal, ceilDiv, realDiv, sub, type DimExpr } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { elementCount, MAX_TRACKED_VALUES, trackable, unknownFacts, type SymbolicDim } from '../tensor-facts.js';
import { dimList, one, withValues } from './helpers.js';

/** The values of a small numeric constant as expressions. */
export function constantValues(c: ConstantTensor): SymbolicDim[] | undefined {
  const n = c.shape.reduce((a, b) => a * b, 1);
  if (n > MAX_TRACKED_VALUES || Array.isArray(c.values)) return undefined;
  const out: SymbolicDim[] = [];
  for (let i = 0; i < n; i++) {
    const v = (c.values as ArrayLike<number | bigint>)[i];
    if (v === undefined) return undefined;
    out.push(constant(Number(v)));
  }
  return out;
}

const constRule: ShapeRule = ({ constant: c, dtype }) => {
  if (!c) return one(unknownFacts(dtype));
  return one(withValues(c.dtype, c.shape.map(constant), constantValues(c)));
};

const shapeRule: ShapeRule = ({ inputs, dtype }) => {
  const s = inputs[0]!.shape;
  if (s === null) return one({ dtype, shape: [null] });
  return one(withValues(dtype, [constant(s.length)], s));
};

const sizeRule: ShapeRule = ({ inputs, dtype }) => one(withValues(dtype, [], [elementCount(inputs[0]!.shape)]));

const rankRule: ShapeRule = ({ inputs, dtype }) => {
  const s = inputs[0]!.shape;
  return one(withValues(dtype, [], [s === null ? null : constant(s.length)]));
};

/** Element count of Range(start, limit, delta): max(0, ceil((limit − start)/delta)). */
function rangeCount(start: DimExpr, limit: DimExpr, delta: DimExpr): SymbolicDim {
  const d = constantValue(delta);
  if (d === undefined || d === 0) return null;
  const span = sub(limit, start);
  const count = Number.isInteger(d) && isIntegral(span) ? (d > 0 ? ceilDiv(span, d) : ceilDiv(sub(start, limit), -d)) : roundReal('ceil', realDiv(span, delta));
  return max(count, constant(0));
}

const rangeRule: ShapeRule = ({ inputs, dtype }) => {
  const [start, limit, delta] = inputs.map((x) => x.values?.[0] ?? null);
  if (!start || !limit || !delta) return one({ dtype, shape: [null] });
  const count = rangeCount(start, limit, delta);
  const n = constantValue(count), s = constantValue(start), d = constantValue(delta);
  const values = n !== undefined && s !== undefined && d !== undefined && n <= MAX_TRACKED_VALUES
    ? Array.from({ length: n }, (_, i) => constant(dtype === 'float32' ? Math.fround(s + i * d) : s + i * d)) : undefined;
  return one(withValues(dtype, [count], values));
};

const fillRule: ShapeRule = ({ inputs, dtype }) => {
  const shape = dimList(inputs[0]);
  if (!shape) return one(unknownFacts(dtype));
  const n = trackable(shape);
  const v = inputs[1]!.values?.[0];
  return one(withValues(dtype, shape, n !== undefined && v ? new Array<SymbolicDim>(n).fill(v) : undefined));
};

export const SHAPE_VALUE_RULES: Readonly<Record<string, ShapeRule>> = {
  Const: constRule,
  Shape: shapeRule,
  Size: sizeRule,
  Rank: rankRule,
  Range: rangeRule,
  Fill: fillRule,
};
