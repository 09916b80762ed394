import { IMAGE_INFO_KEY, type ImageInfo, type InputModule, type ModuleContext, type ModuleOps, type TensorRef } from '@modelport/core';
import { modelImageInput } from './model-input.js';
import { binary, cast, floats, ints, reduce } from './ops.js';
import { MODULE_NAME, OPTIONS_SCHEMA, type ImageModuleOptions } from './options.js';
import { placement } from './placement.js';

/** ITU-R 601 luma, as @modelport/images turns RGB into grey. */
const LUMA = [0.299, 0.587, 0.114];

/** Scaling then mean then std, in the order @modelport/images normalises. */
function normalize(ops: ModuleOps, x: TensorRef, o: ImageModuleOptions): TensorRef {
  let y = x;
  if (o.scale === 'unit') y = binary(ops, 'RealDiv', 'to_unit', y, floats(ops, 'unit_divisor', [255], []));
  if (o.scale === 'symmetric') y = binary(ops, 'Sub', 'to_symmetric', binary(ops, 'RealDiv', 'halved', y, floats(ops, 'half_range', [127.5], [])), floats(ops, 'one', [1], []));
  if (o.mean) y = binary(ops, 'Sub', 'minus_mean', y, floats(ops, 'mean', o.mean));
  if (o.std) y = binary(ops, 'RealDiv', 'over_std', y, floats(ops, 'std', o.std));
  return y;
}

function build(ctx: ModuleContext, o: ImageModuleOptions) {
  const model = modelImageInput(ctx, o);
  const dtype = ctx.model.inputs[model.key]!.dtype;
  if (dtype !== 'float32') ctx.fail(`model input "${model.key}" is ${dtype}: the image module feeds float32 inputs`, 'input');
  const { ops } = ctx;
  const key = o.inputType ?? 'image_tensor';
  const pixelType = key === 'image_tensor' ? 'uint8' : 'float32';
  // A model with a fixed batch takes no other: the image input says so rather than failing at run time.
  const modelBatch = ctx.model.inputs[model.key]!.shape?.[0];
  const fixedBatch = modelBatch !== undefined && modelBatch > 0 ? modelBatch : undefined;
  if (o.batch !== undefined && fixedBatch !== undefined && o.batch !== fixedBatch) ctx.fail(`model input "${model.key}" takes batches of ${fixedBatch} only, not ${o.batch}`, 'batch');
  const batch = o.batch ?? fixedBatch;
  const pixels = ops.input(key, pixelType, [batch ?? -1, o.inputSize?.[0] ?? -1, o.inputSize?.[1] ?? -1, 3]);

  let x = pixelType === 'uint8' ? cast(ops, 'to_float', pixels, 'uint8', 'float32') : pixels;
  if (model.channels === 1) {
    x = reduce(ops, 'Sum', 'grey', binary(ops, 'Mul', 'luma_weighted', x, floats(ops, 'luma', LUMA)), 3, true);
  } else if (o.channelOrder === 'bgr') {
    // GatherV2, not ReverseV2: every exporter translates it.
    x = ops.node('to_bgr', {
      op: 'GatherV2', inputs: [x, ints(ops, 'bgr_order', [2, 1, 0]), ints(ops, 'channel_axis', [3], [])],
      attrs: { batch_dims: { i: 0 }, Tparams: { type: 'float32' }, Tindices: { type: 'int32' }, Taxis: { type: 'int32' } },
    });
  }

  const place = placement(ops, {
    pixels, pixelType, target: [model.height, model.width], letterbox: o.keepAspectRatio === true,
    ...(o.inputSize ? { inputSize: o.inputSize } : {}), ...(batch !== undefined ? { batch } : {}),
  });
  const resized = ops.node('resized', {
    op: 'ResizeBilinear', inputs: [x, place.scaled],
    attrs: { T: { type: 'float32' }, align_corners: { b: false }, half_pixel_centers: { b: true } },
  });
  let fed = normalize(ops, resized, o);
  // Padding after normalisation, as the model garden does: the margin is 0 in the model's units.
  if (place.paddings) fed = ops.node('letterboxed', { op: 'Pad', inputs: [fed, place.paddings], attrs: { T: { type: 'float32' }, Tpaddings: { type: 'int32' } } });

  ctx.shared.set(IMAGE_INFO_KEY, { valid: place.valid } satisfies ImageInfo);
  return {
    feeds: { [model.key]: fed },
    outputs: { image_info: { name: place.imageInfo, dtype: 'float32' as const, shape: [batch ?? -1, 4, 2] } },
    metadata: { inputType: key, channelOrder: o.channelOrder ?? 'rgb', keepAspectRatio: o.keepAspectRatio === true, size: [model.height, model.width] },
  };
}

/** The image input module: callers' RGB pixels in, the model's image input fed. */
export const imageModule: InputModule<ImageModuleOptions> = {
  kind: 'input',
  name: MODULE_NAME,
  description: 'images in (uint8 or float 0–255, any size): resized, letterboxed and normalised in the graph; image_info out',
  optionsSchema: OPTIONS_SCHEMA,
  build,
};
