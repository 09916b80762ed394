import type { OnnxGraphEmitter } from './graph-emitter.js';
import { transpose } from './emit-ops.js';
import type { Value } from './value.js';

// TensorFlow's image ops are channels-last (NHWC); ONNX's Conv, pools, Resize and DepthToSpace
// are channels-first. Converters wrap those ops in these transposes; sinkTransposes then
// cancels the pairs that meet between two such ops.

/** NHWC → NCHW (and NDHWC → NCDHW). */
export function channelsFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** NCHW → NHWC. */
export function channelsLastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

export function toChannelsFirst(emit: OnnxGraphEmitter, v: Value, rank = 4): Value {
  return transpose(emit, v, channelsFirstPerm(rank));
}

export function toChannelsLast(emit: OnnxGraphEmitter, v: Value, rank = 4): Value {
  return transpose(emit, v, channelsLastPerm(rank));
}

/** Whether a TF image op works on NHWC data (its data_format attribute, NHWC by default). */
export function isChannelsLast(dataFormat: string): boolean {
  return !dataFormat.startsWith('NC');
}
