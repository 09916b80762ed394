import { attr } from '@modelport/core';
import type { ConversionContext, OnnxOpTable } from '../converter.js';
import { concat, reshapeTo, shapeOf, sliceConst, toInt64 } from '../emit-ops.js';
import { toChannelsFirst, toChannelsLast } from '../layout.js';
import { onnxAttr, type OnnxAttr } from '../onnx-model.js';
import type { Value } from '../value.js';

/**
 * TF's coordinate conventions in ONNX terms. Bilinear: align_corners, half_pixel, else asymmetric.
 * Nearest: TF rounds align_corners coordinates half away from zero (round_prefer_ceil) and floors
 * the others, where half_pixel's (x + 0.5)·scale − 0.5 rounded up at .5 is TF's floor((x + 0.5)·scale).
 */
function resizeAttrs(ctx: ConversionContext, linear: boolean): Record<string, OnnxAttr> {
  const alignCorners = attr.bool(ctx.node, 'align_corners', false);
  const halfPixel = attr.bool(ctx.node, 'half_pixel_centers', false);
  if (alignCorners && halfPixel) throw ctx.fail('align_corners and half_pixel_centers cannot both be set');
  const mode = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
  const attrs: Record<string, OnnxAttr> = {
    mode: onnxAttr.string(linear ? 'linear' : 'nearest'),
    coordinate_transformation_mode: onnxAttr.string(mode),
  };
  if (!linear) attrs.nearest_mode = onnxAttr.string(alignCorners || halfPixel ? 'round_prefer_ceil' : 'floor');
  return attrs;
}

/**
 * The [h, w] size as int64 with its length stated: onnxruntime's shape inference loses the length
 * when the size was computed from an input of unknown rank, and then rejects the Resize.
 */
function sizeVector(ctx: ConversionContext, size: Value): Value {
  const s = toInt64(ctx.emit, size);
  return s.shape?.length === 1 && s.shape[0] === 2 ? s : reshapeTo(ctx.emit, s, [2]);
}

function resize(linear: boolean) {
  return (ctx: ConversionContext): Value => {
    const { emit } = ctx;
    const [x, size] = [ctx.input(0), ctx.input(1)];
    if (x.shape === null || x.shape.length !== 4) throw ctx.fail(`images must be 4-D (NHWC), has shape [${x.shape ?? 'unknown rank'}]`);
    const [n, , , c] = x.shape as [number, number, number, number];
    const hw = size.known;
    const nchw = toChannelsFirst(emit, x);
    // Resize wants all four output sizes: batch and channels come from the input.
    const sizes = n >= 0 && c >= 0 && hw ? emit.int64s([n, c, hw[0]!, hw[1]!])
      : concat(emit, [sliceConst(emit, shapeOf(emit, nchw), [0], [2], [0]), sizeVector(ctx, size)], 0);
    const y = emit.op('Resize', [nchw, '', '', sizes], resizeAttrs(ctx, linear), { dtype: x.dtype, shape: [n, c, hw?.[0] ?? -1, hw?.[1] ?? -1] });
    return toChannelsLast(emit, y);
  };
}

export const resizeOps: OnnxOpTable = {
  ResizeBilinear: resize(true),
  ResizeNearestNeighbor: resize(false),
};
