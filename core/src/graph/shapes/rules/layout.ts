import { attr } from '../../attrs.js';
import { add, constant, constantValue, divideExactly, floorDiv, mul, sub, type DimExpr } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { concreteDims, elementCount, unknownFacts, type SymbolicDim, type SymbolicShape } from '../tensor-facts.js';
import { broadcastShapes, dimList, intList, mapValues, normalizeAxis, one, unknownOutputs, valueAt, withValues } from './helpers.js';

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

const tileRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!;
  const multiples = dimList(inputs[1]);
  if (x.shape === null || !multiples || multiples.length !== x.shape.length) return one(unknownFacts(dtype));
  const shape = x.shape.map((d, i) => (d && multiples[i] ? mul(d, multiples[i]!) : null));
  const inDims = concreteDims(x.shape);
  const values = inDims ? mapValues(shape, (ix) => valueAt(x, ix.map((v, i) => v % inDims[i]!))) : undefined;
  return one(withValues(dtype, shape, values));
};

/** Pad, PadV2, MirrorPad: each dim grows by its [before, after] paddings. */
const padRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!;
  const pads = inputs[1]!.values;
  if (x.shape === null || !pads || pads.length !== 2 * x.shape.length) return one({ dtype, shape: x.shape === null ? null : x.shape.map(() => null) });
  return one({ dtype, shape: x.shape.map((d, i) => (d && pads[2 * i] && pads[2 * i + 1] ? add(d, add(pads[2 * i]!, pads[2 * i + 1]!)) : null)) });
};

const broadcastToRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!;
  const target = dimList(inputs[1]);
  if (!target) return one(unknownFacts(dtype));
  const shape = broadcastShapes(x.shape, target) ?? target;
  const inDims = concreteDims(x.shape);
  const values = inDims ? mapValues(shape, (ix) => valueAt(x, inDims.map((d, i) => (d === 1 ? 0 : ix[ix.length - inDims.length + i]!)))) : undefined;
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

/** DepthToSpace / SpaceToDepth in NHWC: block_size moves between depth and the two spatial dims. */
function blockRule(toSpace: boolean): ShapeRule {
  return ({ node, inputs, dtype }) => {
    const s = inputs[0]!.shape;
    const b = attr.int(node, 'block_size', 1);
    if (s === null || s.length !== 4 || attr.string(node, 'data_format', 'NHWC') !== 'NHWC') return one(unknownFacts(dtype));
    const [n, h, w, c] = s as [SymbolicDim, SymbolicDim, SymbolicDim, SymbolicDim];
    const scaled = (d: SymbolicDim) => (d ? (toSpace ? mul(d, constant(b)) : floorDiv(d, b)) : null);
    const depth = c ? (toSpace ? floorDiv(c, b * b) : mul(c, constant(b * b))) : null;
    return one({ dtype, shape: [n, scaled(h), scaled(w), depth] });
  };
}

/** SpaceToBatchND(x, block, paddings) and BatchToSpaceND(x, block, crops). */
function batchSpaceRule(toBatch: boolean): ShapeRule {
  return ({ inputs, dtype }) => {
    const s = inputs[0]!.shape;
    const block = intList(inputs[1]);
    const pads = inputs[2]!.values;
    if (s === null || !block || !pads || pads.length !== 2 * block.length || s.length < block.length + 1) return one(unknownFacts(dtype));
    const product = block.reduce((a, b) => a * b, 1);
    const batch = s[0] ? (toBatch ? mul(s[0], constant(product)) : floorDiv(s[0], product)) : null;
    const spatial = block.map((k, i) => {
      const d = s[i + 1]!, before = pads[2 * i]!, after = pads[2 * i + 1]!;
      if (!d || !before || !after) return null;
      return toBatch ? floorDiv(add(d, add(before, after)), k) : sub(mul(d, constant(k)), add(before, after));
    });
    return one({ dtype, shape: [batch, ...spatial, ...s.slice(block.length + 1)] });
  };
}

export const LAYOUT_RULES: Readonly<Record<string, ShapeRule>> = {
  Pack: packRule,
  Unpack: unpackRule,
  ConcatV2: concatRule,
  Reshape: reshapeRule,
  ExpandDims: expandDimsRule,
  Squeeze: squeezeRule,
  Transpose: transposeRule,
  Tile: tileRule,
  Pad: padRule,
  PadV2: padRule,
  MirrorPad: padRule,
  BroadcastTo: broadcastToRule,
  Split: splitRule,
  SplitV: splitVRule,
  DepthToSpace: blockRule(true),
  SpaceToDepth: blockRule(false),
  SpaceToBatchND: batchSpaceRule(true),
  BatchToSpaceND: batchSpaceRule(false),
};
