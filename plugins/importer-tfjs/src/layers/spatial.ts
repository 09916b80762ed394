import { attrValue, type TensorRef } from '@modelport/core';
import { channelsFirstOutput, channelsLastInput, spatialDims } from './channels.js';
import { configString, configTuple, isChannelsFirst } from './config.js';
import type { LayerCall, LayerConfig, LayerConverterTable } from './layer-call.js';
import { dynamicDims, FLOAT, int32s } from './ops.js';

/** [[top, bottom], [left, right]] from Keras's forms: n, [h, w] or [[t, b], [l, r]]. */
function spatialPairs(config: LayerConfig, key: string): [[number, number], [number, number]] {
  const v = config[key];
  if (typeof v === 'number') return [[v, v], [v, v]];
  if (Array.isArray(v) && typeof v[0] === 'number') return [[v[0], v[0]], [v[1] as number, v[1] as number]];
  const pairs = v as [[number, number], [number, number]] | undefined;
  return pairs ?? [[0, 0], [0, 0]];
}

/** Per-axis values for a rank-4 tensor, the two spatial axes placed where data_format has them. */
function perAxis<T>(config: LayerConfig, h: T, w: T, other: T): T[] {
  return isChannelsFirst(config) ? [other, other, h, w] : [other, h, w, other];
}

function zeroPadding(call: LayerCall): TensorRef[] {
  const [hPad, wPad] = spatialPairs(call.config, 'padding');
  const paddings = perAxis<[number, number]>(call.config, hPad, wPad, [0, 0]).flat();
  const p = call.constant('Pad/paddings', 'int32', [4, 2], paddings);
  return [call.op('Pad', 'Pad', [call.inputs[0]!, p], { ...FLOAT, Tpaddings: attrValue.dtype('int32') })];
}

/** Cropping as one StridedSlice; a crop of 0 at the end becomes an end_mask bit (end 0 would mean "empty"). */
function cropping(call: LayerCall): TensorRef[] {
  const [hCrop, wCrop] = spatialPairs(call.config, 'cropping');
  const crops = perAxis<[number, number] | null>(call.config, hCrop, wCrop, null);
  let beginMask = 0, endMask = 0;
  const begin: number[] = [], end: number[] = [];
  crops.forEach((c, axis) => {
    begin.push(c ? c[0] : 0);
    end.push(c && c[1] > 0 ? -c[1] : 0);
    if (!c) beginMask |= 1 << axis;
    if (!c || c[1] === 0) endMask |= 1 << axis;
  });
  const y = call.op('strided_slice', 'StridedSlice', [call.inputs[0]!, int32s(call, 'begin', begin), int32s(call, 'end', end), int32s(call, 'strides', [1, 1, 1, 1])], {
    ...FLOAT, Index: attrValue.dtype('int32'), begin_mask: attrValue.int(beginMask), end_mask: attrValue.int(endMask),
    ellipsis_mask: attrValue.int(0), new_axis_mask: attrValue.int(0), shrink_axis_mask: attrValue.int(0),
  });
  return [y];
}

/**
 * UpSampling2D as tfjs runs it: tf.image.resize* with align_corners and half_pixel_centers false
 * (Python Keras resizes bilinear with half-pixel centers; the tfjs model is the one we match).
 */
function upSampling(call: LayerCall): TensorRef[] {
  const x = channelsLastInput(call, call.inputs[0]!);
  const factors = configTuple(call.config, 'size', 2, 2);
  const [h, w] = spatialDims(call, call.inputShapes[0]!);
  const size = h !== null && w !== null
    ? int32s(call, 'size', [h! * factors[0]!, w! * factors[1]!])
    : call.op('size', 'Mul', [dynamicDims(call, x, 1, 3, 'input_hw'), int32s(call, 'factors', factors)], { T: attrValue.dtype('int32') });
  const bilinear = configString(call.config, 'interpolation', 'nearest') === 'bilinear';
  const op = bilinear ? 'ResizeBilinear' : 'ResizeNearestNeighbor';
  const y = call.op(op, op, [x, size], { ...FLOAT, align_corners: attrValue.bool(false), half_pixel_centers: attrValue.bool(false) });
  return [channelsFirstOutput(call, y)];
}

export const SPATIAL_LAYERS: LayerConverterTable = {
  ZeroPadding2D: { convert: zeroPadding },
  Cropping2D: { convert: cropping },
  UpSampling2D: {
    refuse: (info) => {
      const interpolation = configString(info.config, 'interpolation', 'nearest');
      return interpolation === 'nearest' || interpolation === 'bilinear' ? undefined : `interpolation "${interpolation}" is not supported`;
    },
    convert: upSampling,
  },
};
