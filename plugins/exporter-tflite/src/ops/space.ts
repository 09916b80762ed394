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

/** SpaceToBatchND(x, block_shape, paddings) / BatchToSpaceND(x, block_shape, crops) with constant arguments. */
const batchSpace = (op: 'SPACE_TO_BATCH_ND' | 'BATCH_TO_SPACE_ND'): TfliteOpConverter => (c) => {
  const block = c.ints(1, 'block_shape');
  const pads = c.ints(2, op === 'SPACE_TO_BATCH_ND' ? 'paddings' : 'crops');
  return c.emit(op, [c.input(0), c.constant('block_shape', 'int32', [block.length], Int32Array.from(block)),
    c.constant(op === 'SPACE_TO_BATCH_ND' ? 'paddings' : 'crops', 'int32', [pads.length / 2, 2], Int32Array.from(pads))]);
};

export const spaceOps: TfliteOpTable = {
  DepthToSpace: depthSpace('DEPTH_TO_SPACE'),
  SpaceToDepth: depthSpace('SPACE_TO_DEPTH'),
  SpaceToBatchND: batchSpace('SPACE_TO_BATCH_ND'),
  BatchToSpaceND: batchSpace('BATCH_TO_SPACE_ND'),
};
