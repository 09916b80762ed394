import { attr } from '../../attrs.js';
import { add, constant, max, min, mul, type DimExpr } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { concreteDims, unknownFacts, type SymbolicDim } from '../tensor-facts.js';
import { dimList, intList, mapValues, normalizeAxis, one, valueAt, withValues } from './helpers.js';

const COMBINE: Readonly<Partial<Record<string, (a: DimExpr, b: DimExpr) => DimExpr>>> = { Sum: add, Prod: mul, Max: (a, b) => max(a, b), Min: (a, b) => min(a, b) };

/** Sum/Mean/Max/Min/Prod/All/Any over the axes in input 1; keep_dims leaves 1s. Values for Sum/Prod/Max/Min of tracked ints. */
const reduceRule: ShapeRule = ({ node, inputs, dtype }) => {
  const x = inputs[0]!;
  const axesValue = intList(inputs[1]);
  const keep = attr.bool(node, 'keep_dims', false);
  if (x.shape === null) return one(unknownFacts(dtype));
  if (!axesValue) return one(keep ? { dtype, shape: x.shape.map(() => null) } : unknownFacts(dtype));
  const rank = x.shape.length;
  const axes = new Set(axesValue.map((a) => normalizeAxis(a, rank)));
  if (axes.has(undefined)) return one(unknownFacts(dtype));
  const shape = x.shape.flatMap((d, i) => (axes.has(i) ? (keep ? [constant(1)] : []) : [d]));
  const combine = COMBINE[node.op];
  const inDims = concreteDims(x.shape);
  const values = combine && inDims && x.values ? mapValues(shape, (ix) => {
    const kept = keep ? ix : (() => { const full: number[] = []; let k = 0; for (let i = 0; i < rank; i++) full.push(axes.has(i) ? 0 : ix[k++]!); return full; })();
    let acc: SymbolicDim | undefined;
    const walk = (i: number, at: number[]) => {
      if (i === rank) {
        const v = valueAt(x, at);
        acc = acc === undefined ? v : acc === null || !v ? null : combine(acc, v);
        return;
      }
      if (!axes.has(i)) { walk(i + 1, [...at, kept[i]!]); return; }
      for (let k = 0; k < inDims[i]!; k++) walk(i + 1, [...at, k]);
    };
    walk(0, []);
    return acc;
  }) : undefined;
  return one(withValues(dtype, shape, values));
};

/** ArgMax/ArgMin drop the axis in input 1. */
const argRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!;
  const axisValue = intList(inputs[1]);
  if (x.shape === null || !axisValue) return one(unknownFacts(dtype));
  const axis = normalizeAxis(axisValue[0]!, x.shape.length);
  return one({ dtype, shape: x.shape.filter((_, i) => i !== axis) });
};

/** TopKV2(x, k): the last dim becomes k, for values and indices. */
const topKRule: ShapeRule = ({ node, inputs }) => {
  const x = inputs[0]!;
  const k = dimList(inputs[1])?.[0] ?? null;
  const shape = x.shape === null ? null : [...x.shape.slice(0, -1), k];
  return [{ dtype: x.dtype, shape }, { dtype: attr.dtype(node, 'index_type', 'int32'), shape }];
};

export const REDUCE_RULES: Readonly<Record<string, ShapeRule>> = {
  Sum: reduceRule,
  Mean: reduceRule,
  Max: reduceRule,
  Min: reduceRule,
  Prod: reduceRule,
  All: reduceRule,
  Any: reduceRule,
  ArgMax: argRule,
  ArgMin: argRule,
  TopKV2: topKRule,
};
