import { expect } from 'chai';
import { InvalidInputError } from '@modelport/core';
import { decodeImage, imageBytes } from '../src/index.js';
import { solidJpeg, solidPng } from '@modelport/testing';

describe('image decoding', () => {
  it('decodes PNG bytes exactly, as RGBA', () => {
    const img = decodeImage(solidPng(5, 3, [10, 200, 30]));
    expect([img.width, img.height]).to.deep.equal([5, 3]);
    expect([...img.rgba.subarray(0, 4)]).to.deep.equal([10, 200, 30, 255]);
    expect(img.rgba.length).to.equal(5 * 3 * 4);
  });

  it('decodes JPEG bytes to within compression error', () => {
    const img = decodeImage(solidJpeg(16, 8, [250, 20, 120]));
    expect([img.width, img.height]).to.deep.equal([16, 8]);
    const [r, g, b] = img.rgba;
    expect(Math.abs(r! - 250) + Math.abs(g! - 20) + Math.abs(b! - 120)).to.be.below(12);
  });

  it('tells the formats apart by their bytes, not by a name', () => {
    expect(decodeImage(solidJpeg(4, 4, [0, 0, 0]), { where: 'photo.png' }).width).to.equal(4);
  });

  it('refuses bytes that are no image, and images larger than the limit before decoding them, naming the image', () => {
    expect(() => decodeImage(Buffer.from('GIF89a...'), { where: 'image 3' })).to.throw(InvalidInputError, /^image 3 is neither JPEG nor PNG/);
    const png = solidPng(4, 4, [0, 0, 0]);
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    expect(() => decodeImage(png, { maxPixels: 1e6 })).to.throw(InvalidInputError, /100000×100000, more than 1000000 pixels/);
    expect(() => decodeImage(solidPng(4, 4, [0, 0, 0]).subarray(0, 40))).to.throw(InvalidInputError, /not a valid PNG/);
  });

  it('fails a JPEG cut short, naming it, strict or not', () => {
    const whole = solidJpeg(64, 64, [90, 90, 90]);
    for (const end of [400, whole.length - 2]) {
      for (const strict of [true, false]) {
        expect(() => decodeImage(whole.subarray(0, end), { strict, where: 'cut.jpg' })).to.throw(InvalidInputError, /^cut\.jpg is not a valid JPEG: /);
      }
    }
  });

  it('takes bytes as sent in {"b64"}, or base64 text, and refuses other text', () => {
    const bytes = solidPng(1, 1, [1, 2, 3]);
    expect(Buffer.from(imageBytes(bytes, 'x')).equals(bytes)).to.equal(true);
    expect(Buffer.from(imageBytes(bytes.toString('base64'), 'x')).equals(bytes)).to.equal(true);
    expect(() => imageBytes('a cat!', 'image 0')).to.throw(InvalidInputError, /image 0 is text/);
  });
});
