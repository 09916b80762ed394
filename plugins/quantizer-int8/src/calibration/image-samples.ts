import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OptionsError, type TensorData } from '@modelport/core';
import { decodeImage, type RgbaImage } from './decode-image.js';
import { conformSample } from './inputs.js';
import { resizeBilinear } from './resize-bilinear.js';
import type { CalibrationInput, SampleSource } from './types.js';

/** Pixels p (0–255) become p × scale + offset. */
export type Normalize = readonly [scale: number, offset: number];
export const DEFAULT_NORMALIZE: Normalize = [1 / 255, 0];

/** Integer image inputs (uint8 image_tensor, movenet's int32): fed the pixels 0–255 themselves. */
const RAW_PIXEL_DTYPES: ReadonlySet<string> = new Set(['uint8', 'int32']);

/** Where an image input keeps height, width and channels: NHWC or HWC. */
function imageLayout(input: CalibrationInput, file: string): { height: number; width: number; channels: 1 | 3; batched: boolean } {
  const shape = input.shape;
  const wrong = (why: string) => new OptionsError(`images cannot feed input "${input.name}": ${why}; give .npy or JSON samples`, { file });
  if (!shape || (shape.length !== 4 && shape.length !== 3)) throw wrong(`its shape ${shape ? `[${shape}]` : 'has unknown rank'} is not [N, H, W, C] or [H, W, C]`);
  if (!input.dtype.startsWith('float') && !RAW_PIXEL_DTYPES.has(input.dtype)) throw wrong(`it is ${input.dtype}, not float or an integer type pixels fit`);
  const [height, width, channels] = shape.slice(-3) as [number, number, number];
  if (channels !== 1 && channels !== 3 && channels >= 0) throw wrong(`it has ${channels} channels, not 1 or 3`);
  return { height, width, channels: channels === 1 ? 1 : 3, batched: shape.length === 4 };
}

/** RGB (or BT.601 luma for one channel) as floats 0–255; alpha is dropped. */
function channelsOf(img: RgbaImage, channels: 1 | 3): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    const r = img.rgba[4 * i]!, g = img.rgba[4 * i + 1]!, b = img.rgba[4 * i + 2]!;
    if (channels === 1) out[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else { out[3 * i] = r; out[3 * i + 1] = g; out[3 * i + 2] = b; }
  }
  return out;
}

/**
 * The tensor an image becomes for `input`: resized bilinearly to the input's H × W (the image's own
 * size where they are open), 1 or 3 channels, normalized (integer inputs: the pixels themselves), with
 * a batch axis of 1 for NHWC inputs.
 */
export function imageTensor(img: RgbaImage, input: CalibrationInput, normalize: Normalize, file: string): TensorData {
  const layout = imageLayout(input, file);
  const height = layout.height > 0 ? layout.height : img.height;
  const width = layout.width > 0 ? layout.width : img.width;
  const pixels = channelsOf(img, layout.channels);
  const resized = height === img.height && width === img.width ? pixels
    : resizeBilinear(pixels, img.width, img.height, layout.channels, width, height);
  const shape = layout.batched ? [1, height, width, layout.channels] : [height, width, layout.channels];
  // An integer input takes the pixels as they are (as an image_tensor does); a float one, normalized.
  if (RAW_PIXEL_DTYPES.has(input.dtype)) return conformSample({ dtype: 'uint8', shape, data: Uint8Array.from(resized, (p) => Math.min(255, Math.max(0, Math.round(p)))) }, input, { file });
  const [scale, offset] = normalize;
  for (let i = 0; i < resized.length; i++) resized[i] = resized[i]! * scale + offset;
  return conformSample({ dtype: 'float32', shape, data: resized }, input, { file });
}

/** A folder of images, one sample each, for a model with one input. */
export function imageSource(dir: string, files: readonly string[], inputs: readonly CalibrationInput[], normalize: Normalize): SampleSource {
  if (inputs.length !== 1) {
    throw new OptionsError(`a folder of images calibrates a model with one input; this one has ${inputs.length} (${inputs.map((i) => i.name).join(', ')}): give a subfolder of NAME.npy files per sample, or a JSON file`, { file: dir });
  }
  const input = inputs[0]!;
  return {
    kind: 'images',
    count: files.length,
    describe: (i) => files[i]!,
    async load(i) {
      const file = path.join(dir, files[i]!);
      const img = decodeImage(await fs.readFile(file), file);
      return { [input.name]: imageTensor(img, input, normalize, file) };
    },
  };
}
