import type { ShapeRule } from '../rule-types.js';
import { CONV_POOL_RULES } from './conv-pool.js';
import { DATA_DEPENDENT_RULES } from './data-dependent.js';
import { ELEMENTWISE_RULES } from './elementwise.js';
import { MATMUL_RULES } from './matmul.js';
import { PACK_SPLIT_RULES } from './pack-split.js';
import { REDUCE_RULES } from './reduce.js';
import { RESHAPE_RULES } from './reshape.js';
import { RESIZE_RULES } from './resize.js';
import { SHAPE_VALUE_RULES } from './shape-values.js';
import { SLICE_RULES } from './slice.js';
import { SPACE_BATCH_RULES } from './space-batch.js';
import { TILE_PAD_RULES } from './tile-pad.js';

/**
 * Every op shape inference knows, by op name. Control flow (Enter, Merge, Switch…) and
 * TensorArray/TensorList ops are absent on purpose: their outputs stay unknown, and so does
 * everything that depends on them.
 */
export const SHAPE_RULES: Readonly<Record<string, ShapeRule>> = Object.freeze({
  ...ELEMENTWISE_RULES,
  ...CONV_POOL_RULES,
  ...MATMUL_RULES,
  ...SHAPE_VALUE_RULES,
  ...PACK_SPLIT_RULES,
  ...RESHAPE_RULES,
  ...TILE_PAD_RULES,
  ...SPACE_BATCH_RULES,
  ...SLICE_RULES,
  ...REDUCE_RULES,
  ...RESIZE_RULES,
  ...DATA_DEPENDENT_RULES,
  // A NoOp has no outputs; it only orders control edges.
  NoOp: () => [],
});
