import exporterOnnx from '@modelport/exporter-onnx';
import exporterTflite from '@modelport/exporter-tflite';
import runtimeOnnx from '@modelport/runtime-onnx';
import runtimeTflite from '@modelport/runtime-tflite';
import exporterTfjs from '@modelport/exporter-tfjs';
import runtimeTfjs from '@modelport/runtime-tfjs';
import { PIXELS_SIGNATURE, wrapDetector, type DetectionOptions } from '@modelport/adapter-detection';
import { initBackend, seededRandom, type Plugin, type TensorData } from '@modelport/core';
import { runPipeline, serveArtifact } from '@modelport/testing';
import { detection } from '../src/index.js';
import { ANCHORS, anchorDetector, BATCH, CELLS } from './anchor-detector.js';
import { expectSameDetections, graphPredictor } from './fixtures.js';

const FORMATS: [string, Plugin<any>, Plugin<any>][] = [['tflite', exporterTflite, runtimeTflite], ['onnx', exporterOnnx, runtimeOnnx], ['tfjs', exporterTfjs, runtimeTfjs]];
const OPTIONS: DetectionOptions = {
  boxes: { decode: 'anchors', anchors: ANCHORS },
  scoreActivation: 'softmax', backgroundClass: true, scoreThreshold: 0.5, iouThreshold: 0.3, maxDetections: 10,
};

describe('detection module on a Faster R-CNN-style head, exported (batch 2)', function () {
  this.timeout(120_000);
  before(() => initBackend());

  for (const [format, exporter, runtime] of FORMATS) {
    it(`exports to ${format}: the artifact gives the adapter's detections for both images`, async () => {
      const graph = anchorDetector();
      const run = await runPipeline({
        graph, plugins: [detection, exporter, runtime], targets: [format],
        options: { signatures: { serving_default: ['detection'] }, moduleOptions: { detection: OPTIONS }, sourceSignature: false },
      });
      const predictor = await serveArtifact({ plugins: [runtime], format, path: run.file(format) });
      try {
        for (const seed of [1, 2]) {
          const random = seededRandom(seed);
          const images: TensorData = { dtype: 'float32', shape: [BATCH, CELLS, CELLS, 3], data: Float32Array.from({ length: BATCH * CELLS * CELLS * 3 }, () => Math.floor(random() * 256)) };
          const fed: Record<string, TensorData>[] = [];
          const adapter = wrapDetector(await graphPredictor(graph, fed), OPTIONS);
          const theirs = await adapter.predict({ images }, PIXELS_SIGNATURE);
          await adapter.dispose();
          const ours = await predictor.predict({ image: fed[0]!.image! }, 'serving_default');
          expectSameDetections(ours, theirs, 1e-4, `${format} seed ${seed}`);
        }
      } finally {
        await predictor.dispose();
      }
    });
  }
});
