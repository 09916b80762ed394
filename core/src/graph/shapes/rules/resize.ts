import type { ShapeRule } from '../rule-types.js';
import { unknownFacts } from '../tensor-facts.js';
import { dimList, one } from './helpers.js';

/** ResizeBilinear/NearestNeighbor(x, size): [N, size[0], size[1], C], the size a constant or a computed value. */
const resizeRule: ShapeRule = ({ inputs, dtype }) => {
  const x = inputs[0]!.shape;
  const size = dimList(inputs[1]);
  if (x === null || x.length !== 4) return one(unknownFacts(dtype));
  const [h, w] = size && size.length === 2 ? size : [null, null];
  return one({ dtype, shape: [x[0]!, h!, w!, x[3]!] });
};

export const RESIZE_RULES: Readonly<Record<string, ShapeRule>> = {
  ResizeBilinear: resizeRule,
  ResizeNearestNeighbor: resizeRule,
  ResizeBicubic: resizeRule,
};
