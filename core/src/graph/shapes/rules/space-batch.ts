import { attr } from '../../attrs.js';
import { add, constant, floorDiv, mul, sub } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { unknownFacts, type SymbolicDim } from '../tensor-facts.js';
import { intList, one } from './helpers.js';

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
export const SPACE_BATCH_RULES: Readonly<Record<string, ShapeRule>> = {
  DepthToSpace: blockRule(true),
  SpaceToDepth: blockRule(false),
  SpaceToBatchND: batchSpaceRule(true),
  BatchToSpaceND: batchSpaceRule(false),
};
