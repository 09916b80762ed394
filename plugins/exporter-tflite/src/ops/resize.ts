import { attr } from '@modelport/core';
import type { TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';

/**
 * ResizeBilinear / ResizeNearestNeighbor(images, size): both corner conventions carry over as options.
 * A size computed at run time (rvm's downsample_ratio) is passed as the tensor it is.
 */
const resize = (op: 'RESIZE_BILINEAR' | 'RESIZE_NEAREST_NEIGHBOR'): TfliteOpConverter => (c) => {
  const flags = { align_corners: attr.bool(c.node, 'align_corners', false), half_pixel_centers: attr.bool(c.node, 'half_pixel_centers', false) };
  const opts = op === 'RESIZE_BILINEAR' ? options('ResizeBilinearOptions', flags) : options('ResizeNearestNeighborOptions', flags);
  return c.emit(op, [c.input(0), c.intArgument(1, 'size')], opts);
};

export const resizeOps: TfliteOpTable = {
  ResizeBilinear: resize('RESIZE_BILINEAR'),
  ResizeNearestNeighbor: resize('RESIZE_NEAREST_NEIGHBOR'),
};
