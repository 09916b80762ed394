import type { TensorRef } from '@modelport/core';
import { isChannelsFirst } from './config.js';
import type { LayerCall } from './layer-call.js';
import { transpose } from './ops.js';

// The IR is NHWC (TensorFlow's CPU kernels and TFLite accept nothing else), so a channels-first
// layer is wrapped in two Transposes: NC… → N…C before its op, back after.

export function channelsLastInput(call: LayerCall, x: TensorRef): TensorRef {
  if (!isChannelsFirst(call.config)) return x;
  const rank = call.inputShapes[0]!.length;
  return transpose(call, x, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1], 'to_channels_last');
}

export function channelsFirstOutput(call: LayerCall, y: TensorRef): TensorRef {
  if (!isChannelsFirst(call.config)) return y;
  const rank = call.outputShapes[0]!.length;
  return transpose(call, y, [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)], 'to_channels_first');
}

/** The spatial dimensions of a shape ([H, W] of NHWC or NCHW). */
export function spatialDims(call: LayerCall, shape: readonly (number | null)[]): (number | null)[] {
  return isChannelsFirst(call.config) ? shape.slice(2) : shape.slice(1, -1);
}
