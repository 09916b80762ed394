import { attr } from '../../attrs.js';
import type { ShapeRule } from '../rule-types.js';
import { unknownFacts, type SymbolicDim } from '../tensor-facts.js';
import { broadcastShapes, one } from './helpers.js';

/** MatMul / _FusedMatMul: [m, k] × [k, n] with transpose_a/b. */
const matMulRule: ShapeRule = ({ node, inputs, dtype }) => {
  const a = inputs[0]!.shape, b = inputs[1]!.shape;
  if (a === null || b === null || a.length !== 2 || b.length !== 2) return one(unknownFacts(dtype));
  const m = attr.bool(node, 'transpose_a', false) ? a[1]! : a[0]!;
  const n = attr.bool(node, 'transpose_b', false) ? b[0]! : b[1]!;
  return one({ dtype, shape: [m, n] });
};

/** BatchMatMul(V2): batch dims broadcast (V2), the last two multiply with adj_x/adj_y. */
const batchMatMulRule: ShapeRule = ({ node, inputs, dtype }) => {
  const a = inputs[0]!.shape, b = inputs[1]!.shape;
  if (a === null || b === null || a.length < 2 || b.length < 2) return one(unknownFacts(dtype));
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  if (batch === null) return one(unknownFacts(dtype));
  const m: SymbolicDim = attr.bool(node, 'adj_x', false) ? a[a.length - 1]! : a[a.length - 2]!;
  const n: SymbolicDim = attr.bool(node, 'adj_y', false) ? b[b.length - 2]! : b[b.length - 1]!;
  return one({ dtype, shape: [...batch, m, n] });
};

export const MATMUL_RULES: Readonly<Record<string, ShapeRule>> = {
  MatMul: matMulRule,
  _FusedMatMul: matMulRule,
  BatchMatMul: batchMatMulRule,
  BatchMatMulV2: batchMatMulRule,
  BatchMatMulV3: batchMatMulRule,
};
