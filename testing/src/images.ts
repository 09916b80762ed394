import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];

/** A PNG of one colour, encoded by the library clients use: a request body for an image adapter's tests. */
export function solidPng(width: number, height: number, rgb: Rgb): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(png);
}

/** A JPEG (quality 95) of one colour: its decoded pixels are close to `rgb`, not equal. */
export function solidJpeg(width: number, height: number, rgb: Rgb): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return jpeg.encode({ width, height, data }, 95).data;
}
