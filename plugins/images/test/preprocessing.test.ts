import { expect } from 'chai';
import { imagesToBatch, pixelsToBatch, type DecodedImage } from '../src/index.js';

/** An RGBA image whose pixel (x, y) is rgb(x, y, x + y). */
function gradient(width: number, height: number): DecodedImage {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set([x, y, x + y, 255], (y * width + x) * 4);
  return { width, height, rgba };
}

describe('image preprocessing', () => {
  it('stacks images of any size into one normalised float32 batch of the model\'s size', async () => {
    const batch = await imagesToBatch([gradient(4, 4), gradient(8, 2)], { height: 2, width: 2, channels: 3 }, { scale: 'unit' });
    expect(batch.dtype).to.equal('float32');
    expect(batch.shape).to.deep.equal([2, 2, 2, 3]);
    // 4 → 2 with half-pixel centres: output pixel 0 samples input 0.5, the mean of pixels 0 and 1.
    expect(Array.from((batch.data as Float32Array).subarray(0, 3)).map((v) => +(v * 255).toFixed(3))).to.deep.equal([0.5, 0.5, 1]);
  });

  it('scales symmetric, subtracts the mean and divides by std per channel, and makes grey as luma', async () => {
    const white: DecodedImage = { width: 1, height: 1, rgba: Uint8Array.from([255, 255, 255, 255]) };
    const sym = await imagesToBatch([white], { height: 1, width: 1, channels: 3 }, { scale: 'symmetric', mean: [0.5, 0, 1], std: [0.25, 1, 2] });
    expect(Array.from(sym.data as Float32Array)).to.deep.equal([2, 1, 0]);
    const grey = await imagesToBatch([{ width: 1, height: 1, rgba: Uint8Array.from([100, 0, 0, 255]) }], { height: 1, width: 1, channels: 1 }, { scale: 'raw' });
    expect(grey.shape).to.deep.equal([1, 1, 1, 1]);
    expect((grey.data as Float32Array)[0]).to.be.closeTo(29.9, 1e-4);
  });

  it('resizes pixel tensors like decoded images, and refuses the wrong number of channels', async () => {
    const img = gradient(4, 4);
    const rgb = Float32Array.from({ length: 16 * 3 }, (_, i) => img.rgba[Math.floor(i / 3) * 4 + (i % 3)]!);
    const fromPixels = await pixelsToBatch({ dtype: 'float32', shape: [1, 4, 4, 3], data: rgb }, { height: 2, width: 2, channels: 3 }, { scale: 'raw' });
    const fromImage = await imagesToBatch([img], { height: 2, width: 2, channels: 3 }, { scale: 'raw' });
    expect(Array.from(fromPixels.data as Float32Array)).to.deep.equal(Array.from(fromImage.data as Float32Array));
    await pixelsToBatch({ dtype: 'float32', shape: [1, 4, 4, 1], data: new Float32Array(16) }, { height: 2, width: 2, channels: 3 }, { scale: 'raw' })
      .then(() => expect.fail('accepted one channel for three'), (e: Error) => expect(e.message).to.match(/shape \[n, height, width, 3\], got \[1, 4, 4, 1\]/));
  });
});
