import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loadTfjsGraphModel, ModuleError, type TensorData } from '@modelport/core';
import { imagesToBatch, type DecodedImage, type ImageGeometry, type Normalization } from '@modelport/images';
import { crop, echoModel, maxDifference, valuesOf, photo, pixelBatch, runImages, swapRedBlue, withImage } from './support.js';

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** The model input a graph fed by the image module receives, and image_info and valid beside it. */
async function fed(shape: number[], options: Record<string, unknown>, images: DecodedImage[], dtype: 'uint8' | 'float32' = 'uint8') {
  const graph = withImage(echoModel(shape), options);
  const key = dtype === 'uint8' ? 'image_tensor' : 'float_image';
  expect(Object.keys(graph.signatures.images!.inputs)).to.deep.equal([key]);
  return runImages(graph, { [key]: pixelBatch(images, dtype) });
}

async function expectSameAsImages(actual: TensorData, images: DecodedImage[], geometry: ImageGeometry, n: Normalization): Promise<void> {
  const reference = await imagesToBatch(images, geometry, n);
  expect(maxDifference(actual, reference)).to.be.below(1e-4);
}

describe('module-image: the model sees what @modelport/images prepares', function () {
  this.timeout(60_000);
  let astronaut: DecodedImage; let chelsea: DecodedImage; let coffee: DecodedImage; let camera: DecodedImage;
  before(async () => { [astronaut, chelsea, coffee, camera] = await Promise.all(['astronaut.png', 'chelsea.png', 'coffee.png', 'camera.png'].map(photo)) as DecodedImage[]; });

  it('resizes and scales to [0, 1] photos of 512x512, 300x451 and 400x600 (the model input\'s static size)', async () => {
    for (const img of [astronaut, chelsea, coffee]) {
      const out = await fed([-1, 224, 224, 3], {}, [img]);
      await expectSameAsImages(out.seen!, [img], { height: 224, width: 224, channels: 3 }, { scale: 'unit' });
      expect(valuesOf(out.valid!)).to.deep.equal([1, 1]);
      expect(valuesOf(out.image_info!)).to.deep.equal(Array.from(Float32Array.from([img.height, img.width, 224, 224, 224 / img.height, 224 / img.width, 0, 0])));
    }
  });

  it('takes a batch and size [h, w] for a model of open size, symmetric or ImageNet mean/std', async () => {
    const images = [astronaut, camera];
    const symmetric = await fed([-1, -1, -1, 3], { size: [160, 200], scale: 'symmetric' }, images);
    await expectSameAsImages(symmetric.seen!, images, { height: 160, width: 200, channels: 3 }, { scale: 'symmetric' });
    expect(symmetric.valid!.shape).to.deep.equal([2, 2]);
    expect(symmetric.image_info!.shape).to.deep.equal([2, 4, 2]);
    const imagenet = await fed([-1, 192, 256, 3], { ...IMAGENET }, [chelsea]);
    await expectSameAsImages(imagenet.seen!, [chelsea], { height: 192, width: 256, channels: 3 }, { scale: 'unit', ...IMAGENET });
  });

  it('turns RGB into grey (ITU-R 601) for a one-channel model, raw 0–255 with one mean', async () => {
    const out = await fed([1, 96, 128, 1], { scale: 'raw', mean: [100] }, [chelsea]);
    await expectSameAsImages(out.seen!, [chelsea], { height: 96, width: 128, channels: 1 }, { scale: 'raw', mean: [100] });
  });

  it('reverses channels for a BGR model, mean/std in the model\'s channel order', async () => {
    const bgr = { mean: [0.406, 0.456, 0.485], std: [0.225, 0.224, 0.229] };
    const out = await fed([-1, 128, 128, 3], { channelOrder: 'bgr', ...bgr }, [coffee]);
    await expectSameAsImages(out.seen!, [swapRedBlue(coffee)], { height: 128, width: 128, channels: 3 }, { scale: 'unit', ...bgr });
    const rgb = await fed([-1, 128, 128, 3], { ...bgr }, [coffee]);
    expect(maxDifference(out.seen!, rgb.seen!)).to.be.above(0.5);
  });

  it('takes float32 pixels 0–255 as float_image', async () => {
    const out = await fed([-1, 224, 224, 3], { inputType: 'float_image', scale: 'symmetric' }, [chelsea], 'float32');
    await expectSameAsImages(out.seen!, [chelsea], { height: 224, width: 224, channels: 3 }, { scale: 'symmetric' });
  });

  it('fixes the caller\'s size and batch when asked', () => {
    const graph = withImage(echoModel([-1, 224, 224, 3]), { inputSize: [480, 640], batch: 1 });
    expect(graph.signatures.images!.inputs.image_tensor!.shape).to.deep.equal([1, 480, 640, 3]);
    expect(graph.signatures.images!.outputs.image_info!.shape).to.deep.equal([1, 4, 2]);
  });

  it('takes the model\'s batch when the model fixes it, and refuses another', () => {
    expect(withImage(echoModel([1, 224, 224, 3]), {}).signatures.images!.inputs.image_tensor!.shape).to.deep.equal([1, -1, -1, 3]);
    expect(() => withImage(echoModel([1, 224, 224, 3]), { batch: 2 })).to.throw(ModuleError, /option "batch".*takes batches of 1 only, not 2/);
  });
});

describe('module-image: letterbox (keepAspectRatio)', function () {
  this.timeout(60_000);
  let chelsea: DecodedImage; let astronaut: DecodedImage;
  before(async () => { [chelsea, astronaut] = await Promise.all([photo('chelsea.png'), photo('astronaut.png')]); });

  // By hand: 300x451 into 256x256: scale min(256/300, 256/451) = 0.5676; 300·0.5676 = 170.29 → 170, 451·0.5676 → 256.

  for (const fixed of [false, true]) {
    it(`scales chelsea 300x451 to 170x256, pads the bottom with 0 after normalisation (${fixed ? 'inputSize fixed: constants' : 'open size: computed from the shape'})`, async () => {
      const options = { keepAspectRatio: true, scale: 'symmetric', ...(fixed ? { inputSize: [300, 451] } : {}) };
      const out = await fed([-1, 256, 256, 3], options, [chelsea]);
      const seen = out.seen!;
      expect(seen.shape).to.deep.equal([1, 256, 256, 3]);
      const inside = await imagesToBatch([chelsea], { height: 170, width: 256, channels: 3 }, { scale: 'symmetric' });
      const top = { ...seen, shape: [1, 170, 256, 3], data: seen.data.slice(0, 170 * 256 * 3) } as TensorData;
      expect(maxDifference(top, inside)).to.be.below(1e-4);
      expect(valuesOf(seen).slice(170 * 256 * 3).every((v) => v === 0)).to.equal(true);
      expect(valuesOf(out.image_info!)).to.deep.equal(Array.from(Float32Array.from([300, 451, 170, 256, 170 / 300, 256 / 451, 0, 0])));
      expect(valuesOf(out.valid!)).to.deep.equal(Array.from(Float32Array.from([170 / 256, 1])));
    });
  }

  it('rounds a half scaled size to even as TensorFlow, alike with open and fixed sizes (5x8 into 100x4: 2.5 → 2)', async () => {
    const tiny = crop(chelsea, 5, 8);
    const expected = Array.from(Float32Array.from([5, 8, 2, 4, 2 / 5, 4 / 8, 0, 0]));
    for (const options of [{ keepAspectRatio: true }, { keepAspectRatio: true, inputSize: [5, 8] }]) {
      const out = await fed([-1, 100, 4, 3], options, [tiny]);
      expect(valuesOf(out.image_info!), JSON.stringify(options)).to.deep.equal(expected);
    }
  });

  it('pads on the right when the model is wider than the image (512x512 into 224x320: 224x224 and 96 columns of 0)', async () => {
    const out = await fed([-1, 224, 320, 3], { keepAspectRatio: true }, [astronaut]);
    const inside = await imagesToBatch([astronaut], { height: 224, width: 224, channels: 3 }, { scale: 'unit' });
    const seen = valuesOf(out.seen!); const ref = valuesOf(inside);
    let diff = 0; let margin = 0;
    for (let y = 0; y < 224; y++) for (let x = 0; x < 320; x++) for (let c = 0; c < 3; c++) {
      const v = seen[(y * 320 + x) * 3 + c]!;
      if (x < 224) diff = Math.max(diff, Math.abs(v - ref[(y * 224 + x) * 3 + c]!));
      else margin = Math.max(margin, Math.abs(v));
    }
    expect(diff).to.be.below(1e-4);
    expect(margin).to.equal(0);
    expect(valuesOf(out.image_info!)).to.deep.equal(Array.from(Float32Array.from([512, 512, 224, 224, 224 / 512, 224 / 512, 0, 0])));
    expect(valuesOf(out.valid!)).to.deep.equal(Array.from(Float32Array.from([1, 224 / 320])));
  });
});

describe('module-image: options it cannot use', () => {
  const fails = (shape: number[], options: Record<string, unknown>) => () => withImage(echoModel(shape), options);

  it('names the option at fault', () => {
    expect(fails([-1, 224, 224, 3], { mean: [0.5, 0.5] })).to.throw(ModuleError, /option "mean".*mean has 2 values: give 1 or 3/);
    expect(fails([-1, 224, 224, 3], { input: 'pixels' })).to.throw(ModuleError, /option "input".*no input "pixels"; it has "x"/);
    expect(fails([-1, -1, -1, 3], {})).to.throw(ModuleError, /option "size".*no static height and width.*give size/);
    expect(fails([-1, 224], {})).to.throw(ModuleError, /option "input".*shape \[-1, 224\]: an image input is 4-D/);
    expect(fails([-1, 224, 224, 3], { channels: 1 })).to.throw(ModuleError, /option "channels".*takes 3/);
    expect(fails([-1, 224, 224, 1], { std: [0.2, 0.2, 0.2] })).to.throw(ModuleError, /option "std".*std has 3 values: give one/);
    expect(fails([-1, 224, 224, 3], { size: [256, 256] })).to.throw(ModuleError, /option "size".*size is \[256, 256\] but model input "x" takes \[224, 224\]/);
    expect(fails([-1, 224, 224, 3], { scale: 'percent' })).to.throw(ModuleError, /scale/);
  });
});

describe('module-image: in front of a real model (blazeface, [1, 256, 256, 3], inputs in [-1, 1])', function () {
  this.timeout(60_000);

  it('gives the model\'s outputs for the batch @modelport/images prepares', async () => {
    const model = await loadTfjsGraphModel(fileURLToPath(new URL('../../../../.corpus/models/blazeface.json', import.meta.url)));
    const graph = withImage(model, { scale: 'symmetric' });
    let largest = 0;
    for (const name of ['chelsea.png', 'astronaut.png']) {
      const img = await photo(name);
      const composed = await runImages(graph, { image_tensor: pixelBatch([img]) });
      const input = await imagesToBatch([img], { height: 256, width: 256, channels: 3 }, { scale: 'symmetric' });
      const own = await runImages(graph, { input }, 'serving_default');
      for (const key of Object.keys(own)) {
        const d = maxDifference(composed[key]!, own[key]!);
        expect(d, `${name} ${key}`).to.be.below(1e-3);
        largest = Math.max(largest, d);
      }
    }
    console.log(`      blazeface outputs: largest difference ${largest}`);
  });
});
