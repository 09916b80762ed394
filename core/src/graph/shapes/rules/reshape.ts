import { attr } from '../../attrs.js';
import { constant, constantValue, divideExactly, mul, type DimExpr } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { elementCount, unknownFacts, type SymbolicDim } from '../tensor-facts.js';
import { dimList, intList, mapValues, normalizeAxis, one, valueAt, withValues } from './helpers.js';

/** Reshape: the target's -1 is total ÷ product of the other dims, solved symbolically where it divides. */
const reshapeRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!;
  const target = dimList(inputs[1]);
  if (!target) return one(unknownFacts(dtype));
  const inferred = target.findIndex((d) => constantValue(d) === -1);
  let shape: SymbolicDim[] = target;
  if (inferred >= 0) {
    const total = elementCount(x.shape);
    const others = target.filter((_, i) => i !== inferred);
    const known = others.every((d) => d !== null) ? others.reduce<DimExpr>((p, d) => mul(p, d!), constant(1)) : null;
    shape = target.map((d, i) => (i === inferred ? (total && known ? divideExactly(total, known) : null) : d));
  }
  return one(withValues(dtype, shape, x.values));
};

const expandDimsRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!;
  const axisValue = intList(inputs[1]);
  if (x.shape === null || !axisValue) return one(unknownFacts(dtype));
  const axis = normalizeAxis(axisValue[0]!, x.shape.length + 1);
  if (axis === undefined) return one(unknownFacts(dtype));
  return one(withValues(dtype, [...x.shape.slice(0, axis), constant(1), ...x.shape.slice(axis)], x.values));
};

const squeezeRule: ShapeRule = ({ node, inputs, dtype }) => {
  const x = inputs[0]!;
  if (x.shape === null) return one(unknownFacts(dtype));
  const listed = attr.has(node, 'squeeze_dims') ? attr.ints(node, 'squeeze_dims', []) : attr.ints(node, 'axis', []);
  const axes = new Set(listed.map((a) => normalizeAxis(a, x.shape!.length)));
  // Without listed axes every size-1 dim goes: a dim that might be 1 leaves the rank unknown.
  if (axes.size === 0 && x.shape.some((d) => constantValue(d) === undefined)) return one(unknownFacts(dtype));
  const shape = x.shape.filter((d, i) => (axes.size ? !axes.has(i) : constantValue(d) !== 1));
  return one(withValues(dtype, shape, x.values));
};

const transposeRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!;
  const perm = intList(inputs[1]);
  if (x.shape === null || !perm || perm.length !== x.shape.length) return one(unknownFacts(dtype));
  const shape = perm.map((p) => x.shape![p] ?? null);
  const values = mapValues(shape, (ix) => { const src = new Array<number>(ix.length); perm.forEach((p, i) => { src[p] = ix[i]!; }); return valueAt(x, src); });
  return one(withValues(dtype, shape, values));
};

export const RESHAPE_RULES: Readonly<Record<string, ShapeRule>> = {
  Reshape: reshapeRule,
  ExpandDims: expandDimsRule,
  Squeeze: squeezeRule,
  Transpose: transposeRule,
};
