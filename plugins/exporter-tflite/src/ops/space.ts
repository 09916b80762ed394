import { attr } from '@modelport/core';
import type { TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import { requireNhwc } from './helpers.js';

const depthSpace = (op: 'DEPTH_TO_SPACE' | 'SPACE_TO_DEPTH'): TfliteOpConverter => (c) => {
  requireNhwc(c);
  const block = attr.int(c.node, 'block_size');
  const kind = op === 'DEPTH_TO_SPACE' ? 'DepthToSpaceOptions' : 'SpaceToDepthOptions';
  return c.emit(op, [c.input(0)], options(kind, { block_size: block }));
};

/**
 * SpaceToBatchND(x, block_shape, paddings) / BatchToSpaceND(x, block_shape, crops): constant
 * arguments, or (a dilated convolution on an image sized at run time) paddings computed at run time.
 */
const batchSpace = (op: 'SPACE_TO_BATCH_ND' | 'BATCH_TO_SPACE_ND'): TfliteOpConverter => (c) =>
  c.emit(op, [c.input(0), c.intArgument(1, 'block_shape'), c.intArgument(2, op === 'SPACE_TO_BATCH_ND' ? 'paddings' : 'crops')]);

export const spaceOps: TfliteOpTable = {
  DepthToSpace: depthSpace('DEPTH_TO_SPACE'),
  SpaceToDepth: depthSpace('SPACE_TO_DEPTH'),
  SpaceToBatchND: batchSpace('SPACE_TO_BATCH_ND'),
  BatchToSpaceND: batchSpace('BATCH_TO_SPACE_ND'),
};
