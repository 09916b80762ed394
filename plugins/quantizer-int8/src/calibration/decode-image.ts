import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { OptionsError } from '@modelport/core';

/** Decoded pixels, RGBA, 8 bits a channel, row by row. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** Decodes a png (pngjs: any colour type, 16-bit scaled to 8) or a jpg (jpeg-js, strict: a cut file fails). */
export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  const lower = file.toLowerCase();
  try {
    if (lower.endsWith('.png')) {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false, maxMemoryUsageInMB: 1024 });
    if (!(img.width > 0 && img.height > 0)) throw new Error('no image data');
    return { width: img.width, height: img.height, rgba: img.data };
  } catch (e) {
    throw new OptionsError(`cannot decode the image: ${(e as Error).message}`, { file });
  }
}
