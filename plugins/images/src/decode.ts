import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InvalidInputError } from '@modelport/core';

/** Decoded pixels, RGBA, 8 bits per channel, row-major. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

export interface DecodeOptions {
  /** Larger images are refused before their pixels are allocated: a small file can claim a huge image. */
  readonly maxPixels?: number;
  /** What the image is in messages: "image 2", a file name. */
  readonly where?: string;
  /** jpeg-js without its tolerant decoding: a JPEG with unexpected markers fails rather than decoding leniently. */
  readonly strict?: boolean;
}

/** 2^24: a 4096 × 4096 image. */
export const DEFAULT_MAX_PIXELS = 16_777_216;

const isPng = (b: Uint8Array) => b.length > 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * Decodes PNG (pngjs: any colour type, 16 bits scaled to 8) or JPEG (jpeg-js) bytes, told apart by
 * their magic numbers, not by a file name. Failures are InvalidInputError naming `where`.
 */
export function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): DecodedImage {
  const { maxPixels = DEFAULT_MAX_PIXELS, where = 'image', strict = false } = options;
  if (isPng(bytes)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    if (width * height > maxPixels) throw new InvalidInputError(`${where} is ${width}×${height}, more than ${maxPixels} pixels (maxImagePixels)`);
    try {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } catch (e) {
      throw new InvalidInputError(`${where} is not a valid PNG: ${(e as Error).message}`);
    }
  }
  if (isJpeg(bytes)) {
    try {
      const img = jpeg.decode(bytes, {
        useTArray: true, formatAsRGBA: true, tolerantDecoding: !strict,
        maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: Math.ceil((maxPixels * 8) / 1e6) + 64,
      });
      if (!(img.width > 0 && img.height > 0)) throw new Error('no image data');
      return { width: img.width, height: img.height, rgba: img.data };
    } catch (e) {
      throw new InvalidInputError(`${where} is not a valid JPEG: ${(e as Error).message}`);
    }
  }
  throw new InvalidInputError(`${where} is neither JPEG nor PNG (send the file's bytes, base64 in {"b64": …})`);
}
