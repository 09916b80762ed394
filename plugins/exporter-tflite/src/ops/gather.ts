import { attr } from '@modelport/core';
import type { TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import { normalizeAxis } from './helpers.js';

/** GatherV2(params, indices, axis) and Gather (axis 0); batch_dims carries over. */
const gather = (withAxis: boolean): TfliteOpConverter => (c) => {
  const params = c.input(0);
  const axis = withAxis ? normalizeAxis(c.ints(2, 'axis')[0]!, params.shape.length) : 0;
  const indices = c.input(1);
  const batchDims = normalizeAxis(attr.int(c.node, 'batch_dims', 0), indices.shape.length);
  return c.emit('GATHER', [params, indices], options('GatherOptions', { axis, batch_dims: batchDims }));
};

/**
 * TopKV2(input, k): TFLite always sorts, which is what `sorted` (true in every model seen) asks; ties
 * come out in index order, as in TF. k counted at run time (a length after NMS) is passed as a tensor.
 */
const topK: TfliteOpConverter = (c) => {
  const outs = [c.output(0), c.output(1)];
  c.subgraph.op('TOPK_V2', [c.input(0), c.intArgument(1, 'k')], outs);
  return outs;
};

export const gatherOps: TfliteOpTable = {
  GatherV2: gather(true),
  Gather: gather(false),
  GatherNd: (c) => c.emit('GATHER_ND', [c.input(0), c.input(1)]),
  TopKV2: topK,
};
