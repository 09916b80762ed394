import type { ModuleOps, TensorRef } from '@modelport/core';
import { binary, cast, concat, floats, ints, reduce, reshape, shapeSlice, tile } from './ops.js';

/**
 * Where the caller's image lands in the model's input: the size it is resized to, the padding
 * after it, and what callers and later stages are told (image_info, valid).
 */
export interface Placement {
  /** int32 [2]: the size the image is resized to. */
  readonly scaled: TensorRef;
  /** int32 [4, 2]: bottom/right padding up to the model's size; absent without letterbox. */
  readonly paddings?: TensorRef;
  /** float32 [batch, 4, 2]: [[h, w], [scaled h, scaled w], [y scale, x scale], [0, 0]]. */
  readonly imageInfo: TensorRef;
  /** float32 [batch, 2]: scaled size / model size. */
  readonly valid: TensorRef;
}

export interface PlacementRequest {
  readonly pixels: TensorRef;
  readonly pixelType: string;
  /** The model's [height, width]. */
  readonly target: readonly [number, number];
  /** The caller's fixed [height, width], if any: everything is then computed here, as constants. */
  readonly inputSize?: readonly [number, number];
  readonly batch?: number;
  readonly letterbox: boolean;
}

/** Round half to even, as TensorFlow's Round, so constants agree with what the graph would compute. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Letterbox as TF model garden: scale = min(H/h, W/w), scaled = round(h·scale), round(w·scale). */
export function letterboxSize(image: readonly [number, number], target: readonly [number, number]): [number, number] {
  const s = Math.min(target[0] / image[0], target[1] / image[1]);
  return [Math.min(target[0], roundHalfEven(image[0] * s)), Math.min(target[1], roundHalfEven(image[1] * s))];
}

export function placement(ops: ModuleOps, r: PlacementRequest): Placement {
  const [H, W] = r.target;
  const batchMultiples = (rest: number[], name: string): TensorRef => r.batch !== undefined
    ? ints(ops, name, [r.batch, ...rest])
    : concat(ops, name, [shapeSlice(ops, `${name}_batch`, r.pixels, 0, 1, r.pixelType), ints(ops, `${name}_rest`, rest)], 0, 'int32');

  let scaled: TensorRef; let paddings: TensorRef | undefined; let info: TensorRef; let valid: TensorRef;
  if (r.inputSize) {
    const [h, w] = r.inputSize;
    const [sh, sw] = r.letterbox ? letterboxSize([h, w], [H, W]) : [H, W];
    scaled = ints(ops, 'scaled_size', [sh, sw]);
    if (r.letterbox) paddings = ints(ops, 'paddings', [0, 0, 0, H - sh, 0, W - sw, 0, 0], [4, 2]);
    info = floats(ops, 'image_info_one', [h, w, sh, sw, sh / h, sw / w, 0, 0], [1, 4, 2]);
    valid = floats(ops, 'valid_one', [sh / H, sw / W], [1, 2]);
  } else {
    // Sizes from the image's shape at run time; ResizeBilinear and Pad take computed sizes in every format.
    const hw = cast(ops, 'image_size', shapeSlice(ops, 'image_size_int', r.pixels, 1, 3, r.pixelType), 'int32', 'float32');
    const target = floats(ops, 'model_size', [H, W]);
    let scaledF: TensorRef;
    if (r.letterbox) {
      const s = reduce(ops, 'Min', 'letterbox_scale', binary(ops, 'RealDiv', 'scale_yx', target, hw), 0, false);
      scaledF = ops.node('scaled_size_float', { op: 'Round', inputs: [binary(ops, 'Mul', 'scaled_size_exact', hw, s)], attrs: { T: { type: 'float32' } } });
      scaled = cast(ops, 'scaled_size', scaledF, 'float32', 'int32');
      const pad = reshape(ops, 'pad_after', binary(ops, 'Sub', 'pad_size', ints(ops, 'model_size_int', [H, W]), scaled, 'int32'), [2, 1], 'int32');
      const hwPads = concat(ops, 'pad_hw', [ints(ops, 'pad_before', [0, 0], [2, 1]), pad], 1, 'int32');
      paddings = concat(ops, 'paddings', [ints(ops, 'pad_batch', [0, 0], [1, 2]), hwPads, ints(ops, 'pad_channels', [0, 0], [1, 2])], 0, 'int32');
    } else {
      scaledF = target;
      scaled = ints(ops, 'scaled_size', [H, W]);
    }
    const scaleYX = binary(ops, 'RealDiv', 'image_scale', scaledF, hw);
    const rows = concat(ops, 'image_info_rows', [hw, scaledF, scaleYX, floats(ops, 'offset', [0, 0])], 0, 'float32');
    info = reshape(ops, 'image_info_one', rows, [1, 4, 2], 'float32');
    valid = reshape(ops, 'valid_one', binary(ops, 'RealDiv', 'valid_fraction', scaledF, target), [1, 2], 'float32');
  }
  return {
    scaled, ...(paddings ? { paddings } : {}),
    imageInfo: tile(ops, 'image_info', info, batchMultiples([1, 1], 'image_info_multiples')),
    valid: tile(ops, 'valid', valid, batchMultiples([1], 'valid_multiples')),
  };
}
