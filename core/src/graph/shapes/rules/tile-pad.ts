import { add, mul } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { concreteDims, unknownFacts } from '../tensor-facts.js';
import { broadcastShapes, dimList, mapValues, one, valueAt, withValues } from './helpers.js';

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

export const TILE_PAD_RULES: Readonly<Record<string, ShapeRule>> = {
  Tile: tileRule,
  Pad: padRule,
  PadV2: padRule,
  MirrorPad: padRule,
  BroadcastTo: broadcastToRule,
};
