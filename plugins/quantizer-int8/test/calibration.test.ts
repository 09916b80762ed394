import { expect } from 'chai';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { OptionsError } from '@modelport/core';
import { loadCalibration, readNpy, resizeBilinear, selectSamples, writeNpy } from '../src/index.js';
import { inputsGraph, quietLogger, rejection, tempDir, writeJpg, writeNpyFile, writePng } from './helpers.js';

const image = inputsGraph({ image: { dtype: 'float32', shape: [-1, 4, 4, 3] } });

describe('calibration samples', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => { tmp = tempDir(); });
  afterEach(() => tmp.remove());
  const at = (...parts: string[]) => path.join(tmp.dir, ...parts);

  describe('folders of images', () => {
    it('decodes pngs, resizes them bilinearly to the input\'s H × W, and scales pixels by 1/255', async () => {
      // 2 × 2: red, green / blue, white.
      const colors: [number, number, number][][] = [[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]];
      writePng(at('a.png'), 2, 2, (x, y) => colors[y]![x]!);
      const set = await loadCalibration(image, { quantize: 'int8', calibrationData: tmp.dir }, quietLogger);
      expect(set.source).to.equal('data');
      expect(set.samples).to.have.length(1);
      const t = set.samples[0]!.image!;
      expect(t.shape).to.deep.equal([1, 4, 4, 3]);
      const px = (x: number, y: number) => Array.from((t.data as Float32Array).subarray(3 * (4 * y + x), 3 * (4 * y + x) + 3));
      const close = (got: number[], want: number[]) => got.forEach((v, i) => expect(v).to.be.closeTo(want[i]!, 1e-6));
      close(px(0, 0), [1, 0, 0]);
      close(px(3, 3), [1, 1, 1]);
      // Half-pixel centres: output x = 1 reads input x' = 0.25 (¾ red, ¼ green).
      close(px(1, 0), [0.75, 0.25, 0]);
      // (1, 1): ¾·¾ red + ¾·¼ green + ¼·¾ blue + ¼·¼ white.
      close(px(1, 1), [0.5625 + 0.0625, 0.1875 + 0.0625, 0.1875 + 0.0625]);
    });

    it('feeds a uint8 image input the pixels themselves, not normalized', async () => {
      writePng(at('a.png'), 2, 2, () => [200, 100, 50]);
      const uint8 = inputsGraph({ image_tensor: { dtype: 'uint8', shape: [1, 2, 2, 3] } });
      const t = (await loadCalibration(uint8, { quantize: 'int8', calibrationData: tmp.dir }, quietLogger)).samples[0]!.image_tensor!;
      // Integers, as tfjs feeds a uint8 input.
      expect(t.dtype).to.equal('int32');
      expect(Array.from(t.data as Int32Array).slice(0, 3)).to.deep.equal([200, 100, 50]);
    });

    it('decodes jpgs at their own size when H and W are open, with calibrationNormalize, and one channel as luma', async () => {
      writeJpg(at('x.jpg'), 8, 6, () => [200, 100, 50]);
      const open = inputsGraph({ image: { dtype: 'float32', shape: [-1, -1, -1, 3] } });
      const set = await loadCalibration(open, { quantize: 'int8', calibrationData: tmp.dir, calibrationNormalize: [2 / 255, -1] }, quietLogger);
      const t = set.samples[0]!.image!;
      expect(t.shape).to.deep.equal([1, 6, 8, 3]);
      const data = t.data as Float32Array;
      [200, 100, 50].forEach((c, i) => expect(data[i]).to.be.closeTo((c * 2) / 255 - 1, 0.03));

      const gray = inputsGraph({ image: { dtype: 'float32', shape: [3, 4, 1] } });
      const g = (await loadCalibration(gray, { quantize: 'int8', calibrationData: tmp.dir }, quietLogger)).samples[0]!.image!;
      expect(g.shape).to.deep.equal([3, 4, 1]);
      expect((g.data as Float32Array)[5]).to.be.closeTo((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255, 0.01);
    });

    it('holds out every 5th sample, at least one, and reads no more than calibrationSteps', async () => {
      for (let i = 0; i < 7; i++) writePng(at(`img${i}.png`), 4, 4, () => [i * 30, 0, 0]);
      const messages: string[] = [];
      const all = await loadCalibration(image, { quantize: 'int8', calibrationData: tmp.dir }, { ...quietLogger, info: (m) => messages.push(m) });
      expect(all.samples).to.have.length(6);
      expect(all.heldOut).to.have.length(1);
      expect((all.heldOut[0]!.image!.data as Float32Array)[0]).to.be.closeTo((4 * 30) / 255, 1e-6);
      expect(messages.at(-1)).to.match(/calibration: read 7\/7 samples/);
      const two = await loadCalibration(image, { quantize: 'int8', calibrationData: tmp.dir, calibrationSteps: 2 }, quietLogger);
      expect([two.samples.length, two.heldOut.length]).to.deep.equal([2, 1]);
      expect(selectSamples(1, 100)).to.deep.equal({ calibrate: [0], heldOut: [] });
      expect(selectSamples(2, 100)).to.deep.equal({ calibrate: [0], heldOut: [1] });
      expect(selectSamples(12, 100).heldOut).to.deep.equal([4, 9]);
    });

    it('resizes down and up like tf.image.resize (half-pixel centres)', () => {
      const row = [0, 10, 20, 30];
      expect(Array.from(resizeBilinear(row, 4, 1, 1, 2, 1))).to.deep.equal([5, 25]);
      expect(Array.from(resizeBilinear([0, 8], 2, 1, 1, 4, 1))).to.deep.equal([0, 2, 6, 8]);
    });
  });

  describe('.npy and JSON samples', () => {
    it('reads float32, int32 and uint8 .npy files, one per sample, and adds the batch axis', async () => {
      const values = Array.from({ length: 48 }, (_, i) => i / 48);
      writeNpyFile(at('s0.npy'), 'float32', [4, 4, 3], values);
      writeNpyFile(at('s1.npy'), 'float32', [1, 4, 4, 3], values);
      const set = await loadCalibration(image, { quantize: 'int8', calibrationData: tmp.dir }, quietLogger);
      expect(set.samples[0]!.image!.shape).to.deep.equal([1, 4, 4, 3]);
      expect(Array.from(set.samples[0]!.image!.data as Float32Array)).to.deep.equal(Array.from(Float32Array.from(values)));
      expect(set.heldOut).to.have.length(1);
      const u8 = readNpy(writeNpy({ dtype: 'uint8', shape: [3], data: [1, 2, 255] }), 'u8.npy');
      expect([u8.dtype, Array.from(u8.data as Uint8Array)]).to.deep.equal(['uint8', [1, 2, 255]]);
      const i32 = readNpy(writeNpy({ dtype: 'int32', shape: [2, 1], data: [-7, 9] }), 'i32.npy');
      expect([i32.shape, Array.from(i32.data as Int32Array)]).to.deep.equal([[2, 1], [-7, 9]]);
    });

    it('reads a subfolder of NAME.npy per sample for several inputs', async () => {
      const two = inputsGraph({ pixels: { dtype: 'float32', shape: [-1, 2] }, ids: { dtype: 'int32', shape: [-1, 3] } });
      for (const s of ['a', 'b', 'c']) {
        writeNpyFile(at(s, 'pixels.npy'), 'float32', [1, 2], [0.5, 1.5]);
        writeNpyFile(at(s, 'ids.npy'), 'uint8', [1, 3], [1, 2, 3]);
      }
      const set = await loadCalibration(two, { quantize: 'int8', calibrationData: tmp.dir }, quietLogger);
      expect([set.samples.length, set.heldOut.length]).to.deep.equal([2, 1]);
      expect(set.samples[0]!.ids).to.deep.include({ dtype: 'int32', shape: [1, 3] });
      expect(Array.from(set.samples[0]!.ids!.data as Int32Array)).to.deep.equal([1, 2, 3]);
    });

    it('reads a JSON file of one sample or an array of samples, by input name', async () => {
      const two = inputsGraph({ pixels: { dtype: 'float32', shape: [-1, 2] }, ids: { dtype: 'int32', shape: [-1, 3] } });
      const sample = { pixels: { shape: [1, 2], data: [1, 2] }, 'ids:0': { shape: [1, 3], dtype: 'int32', data: [4, 5, 6] } };
      writeFileSync(at('one.json'), JSON.stringify(sample));
      writeFileSync(at('many.json'), JSON.stringify([sample, sample, sample]));
      const one = await loadCalibration(two, { quantize: 'int8', calibrationData: at('one.json') }, quietLogger);
      expect([one.samples.length, one.heldOut.length]).to.deep.equal([1, 0]);
      expect(Array.from(one.samples[0]!.pixels!.data as Float32Array)).to.deep.equal([1, 2]);
      const many = await loadCalibration(two, { quantize: 'int8', calibrationData: at('many.json') }, quietLogger);
      expect([many.samples.length, many.heldOut.length]).to.deep.equal([2, 1]);
    });

    it('makes seeded noise only for --calibration random, and says so', async () => {
      const a = await loadCalibration(image, { quantize: 'int8', calibration: 'random', seed: 3 }, quietLogger);
      const b = await loadCalibration(image, { quantize: 'int8', calibration: 'random', seed: 3 }, quietLogger);
      expect(a.source).to.equal('random');
      expect([a.samples.length, a.heldOut.length]).to.deep.equal([16, 3]);
      expect(Array.from(a.samples[0]!.image!.data as Float32Array)).to.deep.equal(Array.from(b.samples[0]!.image!.data as Float32Array));
    });
  });

  describe('errors name the file and the input', () => {
    const fails = async (options: Parameters<typeof loadCalibration>[1], graph = image) => {
      const e = await rejection(loadCalibration(graph, { quantize: 'int8', ...options }, quietLogger));
      expect(e).to.be.instanceOf(OptionsError);
      return e.message;
    };

    it('an empty folder', async () => {
      writeFileSync(at('notes.txt'), 'no samples here');
      expect(await fails({ calibrationData: tmp.dir })).to.include(`file "${tmp.dir}"`).and.include('empty');
    });

    it('a corrupt png and a cut jpg', async () => {
      writePng(at('good.png'), 4, 4, () => [1, 2, 3]);
      const bytes = readFileSync(at('good.png'));
      writeFileSync(at('bad.png'), bytes.subarray(0, bytes.length - 20));
      expect(await fails({ calibrationData: tmp.dir })).to.include(`file "${at('bad.png')}"`).and.include('cannot decode');
      tmp.remove(); mkdirSync(tmp.dir);
      writeJpg(at('whole.jpg'), 16, 16, (x) => [x * 10, 0, 0]);
      writeFileSync(at('cut.jpg'), readFileSync(at('whole.jpg')).subarray(0, 200));
      expect(await fails({ calibrationData: tmp.dir })).to.include(`file "${at('cut.jpg')}"`).and.include('cannot decode');
    });

    it('a sample of the wrong shape or dtype', async () => {
      writeNpyFile(at('s.npy'), 'float32', [1, 5, 4, 3], new Float32Array(60));
      expect(await fails({ calibrationData: tmp.dir })).to.include(`file "${at('s.npy')}"`).and.include('shape [1, 5, 4, 3] does not fit input "image" of shape [?, 4, 4, 3]');
      writeNpyFile(at('s.npy'), 'int32', [1, 4, 4, 3], new Int32Array(48));
      expect(await fails({ calibrationData: tmp.dir })).to.include(`file "${at('s.npy')}"`).and.include('dtype int32 cannot feed input "image" of dtype float32');
      writeFileSync(at('s.npy'), Buffer.from('not numpy at all'));
      expect(await fails({ calibrationData: tmp.dir })).to.include(`file "${at('s.npy')}"`).and.include('not a .npy file');
    });

    it('an input missing', async () => {
      const two = inputsGraph({ pixels: { dtype: 'float32', shape: [-1, 2] }, ids: { dtype: 'int32', shape: [-1, 3] } });
      writeNpyFile(at('s0', 'pixels.npy'), 'float32', [1, 2], [0, 1]);
      expect(await fails({ calibrationData: tmp.dir }, two)).to.include(`file "${at('s0')}"`).and.include('lacks input(s) "ids"');
      writeFileSync(at('x.json'), JSON.stringify([{ pixels: { shape: [1, 2], data: [1, 2] } }]));
      expect(await fails({ calibrationData: at('x.json') }, two)).to.include(`file "${at('x.json')}"`).and.include('sample 0: input(s) "ids" missing');
    });

    it('int8 without calibration data, unless noise is asked for', async () => {
      expect(await fails({})).to.include('--quantize int8').and.include('--calibration-data');
      expect(await fails({ quantize: 'int8-full', calibration: 'random', calibrationData: tmp.dir })).to.include('both given');
    });
  });
});
