import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InvalidInputError } from '@modelport/core';

/** Decoded pixels, RGBA, 8 bits per channel, row-major. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

const isPng = (b: Uint8Array) => b.length > 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * Decodes JPEG or PNG bytes (told apart by their magic numbers), refusing images above
 * `maxPixels` before allocating them: a small file can claim a huge image.
 */
export function decodeImage(bytes: Uint8Array, maxPixels: number, where = 'image'): DecodedImage {
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
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: Math.ceil((maxPixels * 8) / 1e6) + 64 });
      return { width: img.width, height: img.height, rgba: img.data };
    } catch (e) {
      throw new InvalidInputError(`${where} is not a valid JPEG: ${(e as Error).message}`);
    }
  }
  throw new InvalidInputError(`${where} is neither JPEG nor PNG (send the file's bytes, base64 in {"b64": …})`);
}

/** Bytes of a string-tensor element: bytes as sent in {"b64": …}, or text holding base64. */
export function elementBytes(value: string | Uint8Array, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (/^[A-Za-z0-9+/=\s_-]+$/.test(value)) return new Uint8Array(Buffer.from(value, 'base64'));
  throw new InvalidInputError(`${where} is text, not image bytes: send {"b64": "<base64 of the file>"}`);
}
