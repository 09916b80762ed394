import { expect } from 'chai';
import exporterOnnx from '@modelport/exporter-onnx';
import exporterTflite from '@modelport/exporter-tflite';
import runtimeOnnx from '@modelport/runtime-onnx';
import runtimeTflite from '@modelport/runtime-tflite';
import exporterTfjs from '@modelport/exporter-tfjs';
import runtimeTfjs from '@modelport/runtime-tfjs';
import { initBackend, type Graph, type Plugin } from '@modelport/core';
import { runPipeline, serveArtifact } from '@modelport/testing';
import { detection } from '../src/index.js';
import { adapterDetections, BLAZEFACE_OPTIONS, modelInput, PHOTOS } from './blazeface-fixture.js';
import { CORPUS, corpusGraph, expectSameDetections } from './fixtures.js';

const FORMATS: [string, Plugin<any>, Plugin<any>][] = [['tflite', exporterTflite, runtimeTflite], ['onnx', exporterOnnx, runtimeOnnx], ['tfjs', exporterTfjs, runtimeTfjs]];

describe('detection module on BlazeFace, exported', function () {
  this.timeout(300_000);
  let graph: Graph;
  before(async () => {
    await initBackend();
    graph = await corpusGraph('blazeface');
  });

  for (const [format, exporter, runtime] of FORMATS) {
    it(`exports to ${format} with decoding and NMS inside, giving the adapter's detections`, async () => {
      const run = await runPipeline({
        fixture: `${CORPUS}blazeface.json`, plugins: [detection, exporter, runtime], targets: [format],
        options: { signatures: { serving_default: ['detection'] }, moduleOptions: { detection: BLAZEFACE_OPTIONS }, sourceSignature: false },
      });
      const predictor = await serveArtifact({ plugins: [runtime], format, path: run.file(format) });
      try {
        expect(Object.keys(predictor.signatures)).to.deep.equal(['serving_default']);
        const found: Record<string, number> = {};
        for (const name of PHOTOS) {
          const ours = await predictor.predict({ input: await modelInput(graph, name) }, 'serving_default');
          found[name] = expectSameDetections(ours, await adapterDetections(graph, name), 1e-4, `${format} ${name}`)[0]!;
        }
        console.log(`      ${format} faces found: ${JSON.stringify(found)}`);
        expect(found['astronaut.png']).to.be.at.least(1);
      } finally {
        await predictor.dispose();
      }
    });
  }
});
