import { decodeImage as decodeImageBytes, type DecodedImage } from '@modelport/images';
import { OptionsError } from '@modelport/core';

/** Decoded pixels, RGBA, 8 bits a channel, row by row. */
export type RgbaImage = DecodedImage;

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** Calibration images can be large photos: up to 128 megapixels (about 1 GB while decoding). */
const MAX_CALIBRATION_PIXELS = 128e6;

/** Decodes a png or a jpg (strict: a cut file fails rather than calibrating on grey), naming the file. */
export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  try {
    return decodeImageBytes(bytes, { maxPixels: MAX_CALIBRATION_PIXELS, where: 'the file', strict: true });
  } catch (e) {
    throw new OptionsError(`cannot decode the image: ${(e as Error).message}`, { file }, { cause: e });
  }
}
