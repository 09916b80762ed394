import { attr } from '../../attrs.js';
import { add, constant, constantValue, floorDiv, sub, type DimExpr } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { unknownFacts, type SymbolicDim, type SymbolicShape } from '../tensor-facts.js';
import { intList, mapValues, normalizeAxis, one, unknownOutputs, valueAt, withValues } from './helpers.js';

/** Merges shapes that must be equal (Pack's inputs): a known dim wins over an unknown one. */
function unify(shapes: readonly SymbolicShape[]): SymbolicShape {
  const known = shapes.filter((s): s is readonly SymbolicDim[] => s !== null);
  if (known.length === 0) return null;
  return known[0]!.map((_, i) => known.map((s) => s[i] ?? null).find((d) => d !== null) ?? null);
}

const packRule: ShapeRule = ({ node, inputs, dtype }) => {
  const s = unify(inputs.map((x) => x.shape));
  if (s === null) return one(unknownFacts(dtype));
  const axis = normalizeAxis(attr.int(node, 'axis', 0), s.length + 1);
  if (axis === undefined) return one(unknownFacts(dtype));
  const shape = [...s.slice(0, axis), constant(inputs.length), ...s.slice(axis)];
  const values = mapValues(shape, (ix) => valueAt(inputs[ix[axis]!]!, [...ix.slice(0, axis), ...ix.slice(axis + 1)]));
  return one(withValues(dtype, shape, values));
};

const unpackRule: ShapeRule = ({ node, inputs, dtype }) => {
  const x = inputs[0]!;
  const count = attr.int(node, 'num', 0);
  if (x.shape === null) return unknownOutputs(count, dtype);
  const axis = normalizeAxis(attr.int(node, 'axis', 0), x.shape.length);
  if (axis === undefined) return unknownOutputs(count, dtype);
  const shape = [...x.shape.slice(0, axis), ...x.shape.slice(axis + 1)];
  return Array.from({ length: count }, (_, k) => withValues(dtype, shape, mapValues(shape, (ix) => valueAt(x, [...ix.slice(0, axis), k, ...ix.slice(axis)]))));
};

const concatRule: ShapeRule = ({ inputs, dtype }) => {
  const parts = inputs.slice(0, -1);
  const axisValue = intList(inputs[inputs.length - 1]);
  const known = parts.find((p) => p.shape !== null)?.shape;
  if (!axisValue || !known || parts.some((p) => p.shape === null)) return one(unknownFacts(dtype));
  const axis = normalizeAxis(axisValue[0]!, known.length);
  if (axis === undefined) return one(unknownFacts(dtype));
  let total: SymbolicDim = constant(0);
  for (const p of parts) total = total && p.shape![axis] ? add(total, p.shape![axis]!) : null;
  const merged = unify(parts.map((p) => p.shape))!;
  const shape = merged.map((d, i) => (i === axis ? total : d));
  const offsets: number[] = [];
  let off = 0;
  for (const p of parts) { offsets.push(off); off += constantValue(p.shape![axis]) ?? NaN; }
  const values = mapValues(shape, (ix) => {
    const k = offsets.findIndex((o, j) => ix[axis]! >= o && (j === offsets.length - 1 || ix[axis]! < offsets[j + 1]!));
    if (k < 0) return undefined;
    return valueAt(parts[k]!, ix.map((v, j) => (j === axis ? v - offsets[k]! : v)));
  });
  return one(withValues(dtype, shape, values));
};

/** Split(axis, value): num_split equal parts along axis. */
const splitRule: ShapeRule = ({ node, inputs, dtype }) => {
  const count = attr.int(node, 'num_split', 1);
  const x = inputs[1]!;
  const axisValue = intList(inputs[0]);
  if (x.shape === null || !axisValue) return unknownOutputs(count, dtype);
  const axis = normalizeAxis(axisValue[0]!, x.shape.length);
  if (axis === undefined) return unknownOutputs(count, dtype);
  const d = x.shape[axis]!;
  const shape = x.shape.map((v, i) => (i === axis ? (d ? floorDiv(d, count) : null) : v));
  return Array.from({ length: count }, () => ({ dtype, shape }));
};

/** SplitV(value, size_splits, axis): one -1 size takes what the others leave. */
const splitVRule: ShapeRule = ({ node, inputs, dtype }) => {
  const count = attr.int(node, 'num_split', 1);
  const x = inputs[0]!;
  const sizes = inputs[1]!.values;
  const axisValue = intList(inputs[2]);
  if (x.shape === null || !axisValue || !sizes || sizes.length !== count) return unknownOutputs(count, dtype);
  const axis = normalizeAxis(axisValue[0]!, x.shape.length);
  if (axis === undefined) return unknownOutputs(count, dtype);
  const d = x.shape[axis]!;
  const rest = sizes.filter((s) => constantValue(s) !== -1);
  const sumRest = rest.every((s) => s !== null) ? rest.reduce<DimExpr>((p, s) => add(p, s!), constant(0)) : null;
  return sizes.map((s) => {
    const size = constantValue(s) === -1 ? (d && sumRest ? sub(d, sumRest) : null) : s;
    return { dtype, shape: x.shape!.map((v, i) => (i === axis ? size : v)) };
  });
};

export const PACK_SPLIT_RULES: Readonly<Record<string, ShapeRule>> = {
  Pack: packRule,
  Unpack: unpackRule,
  ConcatV2: concatRule,
  Split: splitRule,
  SplitV: splitVRule,
};
