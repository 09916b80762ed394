import { attr } from '../../attrs.js';
import { constant } from '../dim-expr.js';
import type { ShapeRule } from '../rule-types.js';
import { concreteDims, concreteValues, trackable, type SymbolicDim, type TensorFacts } from '../tensor-facts.js';
import { dimList, one, strides, withValues } from './helpers.js';

/** Where(cond): one row per true element, so a fresh dimension decided by data. */
const whereRule: ShapeRule = ({ inputs, fresh }) => {
  const rank = inputs[0]!.shape?.length;
  return one({ dtype: 'int64', shape: [fresh(), rank === undefined ? null : constant(rank)] });
};

/**
 * NonMaxSuppressionV3/V4/V5: the number of boxes kept is decided by scores and overlaps, unless V4/V5
 * pad to max_output_size. V4 also gives valid_outputs; V5 selected_scores then valid_outputs.
 */
const nmsRule: ShapeRule = ({ node, inputs, fresh }) => {
  const padded = attr.bool(node, 'pad_to_max_output_size', false);
  const count = padded ? dimList(inputs[2])?.[0] ?? null : fresh();
  const indices: TensorFacts = { dtype: 'int32', shape: [count] };
  const valid: TensorFacts = { dtype: 'int32', shape: [] };
  if (node.op === 'NonMaxSuppressionV5') return [indices, { dtype: inputs[1]!.dtype, shape: [count] }, valid];
  if (node.op === 'NonMaxSuppressionV4') return [indices, valid];
  return [indices];
};

/** SparseToDense(indices, output_shape, values, default): the shape is the value of output_shape. */
const sparseToDenseRule: ShapeRule = ({ inputs, dtype }) => {
  const shape = dimList(inputs[1]) ?? null;
  const dims = concreteDims(shape), indices = concreteValues(inputs[0]), count = concreteDims(inputs[0]!.shape)?.[0] ?? 1;
  const values = inputs[2]!.values, fill = inputs[3]!.values?.[0];
  if (!dims || !indices || !values || !fill || trackable(shape) === undefined) return one({ dtype, shape });
  // Scatter the listed values over the default: all known, so the result is known too.
  const out = new Array<SymbolicDim>(dims.reduce((a, b) => a * b, 1)).fill(fill);
  const rank = dims.length, stride = strides(dims);
  for (let i = 0; i < count; i++) {
    const at = rank <= 1 ? [indices[i]!] : indices.slice(i * rank, (i + 1) * rank);
    out[at.reduce((acc, v, k) => acc + v * stride[k]!, 0)] = values.length === 1 ? values[0]! : values[i] ?? null;
  }
  return one(withValues(dtype, shape, out));
};

/** Unique(x): y has a fresh length, idx the length of x. */
const uniqueRule: ShapeRule = ({ inputs, fresh }) => [{ dtype: inputs[0]!.dtype, shape: [fresh()] }, { dtype: 'int32', shape: inputs[0]!.shape }];

export const DATA_DEPENDENT_RULES: Readonly<Record<string, ShapeRule>> = {
  Where: whereRule,
  NonMaxSuppressionV2: nmsRule,
  NonMaxSuppressionV3: nmsRule,
  NonMaxSuppressionV4: nmsRule,
  NonMaxSuppressionV5: nmsRule,
  SparseToDense: sparseToDenseRule,
  Unique: uniqueRule,
};
