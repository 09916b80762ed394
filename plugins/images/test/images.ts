import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** Images of one colour, encoded by the same libraries clients use. */
export function solidPng(width: number, height: number, rgb: readonly [number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(png);
}

export function solidJpeg(width: number, height: number, rgb: readonly [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return jpeg.encode({ width, height, data }, 95).data;
}
