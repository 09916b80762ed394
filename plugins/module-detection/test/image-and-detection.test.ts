import { expect } from 'chai';
import exporterOnnx from '@modelport/exporter-onnx';
import exporterTflite from '@modelport/exporter-tflite';
import exporterTfjs from '@modelport/exporter-tfjs';
import runtimeOnnx from '@modelport/runtime-onnx';
import runtimeTflite from '@modelport/runtime-tflite';
import runtimeTfjs from '@modelport/runtime-tfjs';
import moduleImage from '@modelport/module-image';
import { initBackend, type Graph, type Plugin, type TensorData } from '@modelport/core';
import { decodeImage } from '@modelport/images';
import { runPipeline, serveArtifact } from '@modelport/testing';
import { detection } from '../src/index.js';
import { adapterDetections, BLAZEFACE_OPTIONS, modelInput, PHOTOS } from './blazeface-fixture.js';
import { CORPUS, corpusGraph, expectSameDetections, photo } from './fixtures.js';

/** The photo as a caller sends it to an `image_tensor` input: its RGB pixels, uint8 [1, h, w, 3]. */
function imageTensor(name: string): TensorData {
  const img = decodeImage(photo(name));
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = img.rgba[i * 4 + c]!;
  return { dtype: 'uint8', shape: [1, img.height, img.width, 3], data: rgb };
}

/** One options file for both modules, as `--module-options` takes it: the adapter's JSON serves for both. */
const moduleOptions = (image: Record<string, unknown>) => ({ image: { scale: 'symmetric', batch: 1, ...image }, detection: BLAZEFACE_OPTIONS });

const OPEN_SIZE: [string, Plugin<any>, Plugin<any>][] = [['onnx', exporterOnnx, runtimeOnnx], ['tfjs', exporterTfjs, runtimeTfjs]];

describe('BlazeFace exported with the image and detection modules', function () {
  this.timeout(300_000);
  let graph: Graph;
  before(async () => {
    await initBackend();
    graph = await corpusGraph('blazeface');
  });

  for (const [format, exporter, runtime] of OPEN_SIZE) {
    it(`${format}: a uint8 photo of any size in, the detection adapter's boxes, scores and classes out`, async () => {
      const run = await runPipeline({
        fixture: `${CORPUS}blazeface.json`, plugins: [moduleImage, detection, exporter, runtime], targets: [format],
        options: { signatures: { serving_default: ['image', 'detection'] }, moduleOptions: moduleOptions({}), sourceSignature: false },
      });
      const predictor = await serveArtifact({ plugins: [runtime], format, path: run.file(format) });
      try {
        expect(predictor.signatures.serving_default!.inputs.image_tensor!.shape).to.deep.equal([1, -1, -1, 3]);
        for (const name of PHOTOS) {
          const ours = await predictor.predict({ image_tensor: imageTensor(name) }, 'serving_default');
          expectSameDetections(ours, await adapterDetections(graph, name), 1e-4, `${format} ${name}`);
        }
      } finally {
        await predictor.dispose();
      }
    });
  }

  it('tflite: one file, the uint8 image at the size given at export and the model\'s own float signature, both in LiteRT.js', async () => {
    const run = await runPipeline({
      fixture: `${CORPUS}blazeface.json`, plugins: [moduleImage, detection, exporterTflite, runtimeTflite], targets: ['tflite'],
      options: { signatures: { serving_default: ['image', 'detection'] }, moduleOptions: moduleOptions({ inputSize: [512, 512] }), sourceSignature: 'serving_float' },
    });
    const predictor = await serveArtifact({ plugins: [runtimeTflite], format: 'tflite', path: run.file('tflite') });
    try {
      expect(Object.keys(predictor.signatures)).to.have.members(['serving_default', 'serving_float']);
      expect(Object.keys(predictor.signatures.serving_default!.outputs).slice(0, 4)).to.deep.equal(['detection_boxes', 'detection_classes', 'detection_scores', 'num_detections']);
      for (const name of ['astronaut.png', 'camera.png']) { // the 512×512 photos
        const ours = await predictor.predict({ image_tensor: imageTensor(name) }, 'serving_default');
        const found = expectSameDetections(ours, await adapterDetections(graph, name), 1e-4, `tflite ${name}`);
        if (name === 'astronaut.png') expect(found[0]).to.be.at.least(1);
        const raw = await predictor.predict({ input: await modelInput(graph, name) }, 'serving_float');
        expect(raw.Identity!.shape).to.deep.equal([1, 512, 1]);
      }
    } finally {
      await predictor.dispose();
    }
  });
});
