import { sizeOfShape, type TensorData } from '@modelport/core';
import { ServingError } from '../errors.js';
import { tensorBuilder } from './json-values.js';
import { checkNotEmpty, nestedShape, visitNested } from './nested.js';
import type { TensorBudget } from './tensor-budget.js';

export interface DecodeOptions {
  /** How deep the value may nest: the input's rank when the signature knows it. */
  readonly maxRank: number;
  /** The shape the client declared (KServe); else the nesting's own. */
  readonly shape?: readonly number[];
  /** Rewrites a leaf before it is typed (KServe's base64 BYTES). */
  readonly leaf?: (value: unknown) => unknown;
}

/**
 * One input from nested JSON, in this order: the nesting's shape (bounded depth), no 0
 * dimension, the budget (from the shape alone), then the values straight into the tensor's buffer.
 */
export function decodeTensor(value: unknown, dtype: string, where: string, budget: TensorBudget, options: DecodeOptions): TensorData {
  const nested = nestedShape(value, where, options.maxRank);
  const shape = options.shape ?? nested;
  checkNotEmpty(shape, where);
  budget.take(where, dtype, shape);
  const count = sizeOfShape(shape);
  const given = sizeOfShape(nested);
  if (given !== count) {
    throw new ServingError('INVALID_ARGUMENT', `${where} has shape [${shape.join(', ')}] (${count} elements) but ${given} values`);
  }
  const builder = tensorBuilder(dtype, shape, where);
  const leaf = options.leaf;
  visitNested(value, nested, where, leaf ? (i, v) => builder.put(i, leaf(v)) : (i, v) => builder.put(i, v));
  return builder.finish();
}
