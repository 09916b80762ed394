import { expect } from 'chai';
import { composeSignatures, GraphExecutor, initBackend, type Graph } from '@modelport/core';
import { detection } from '../src/index.js';
import { adapterDetections, BLAZEFACE_OPTIONS, modelInput, PHOTOS } from './blazeface-fixture.js';
import { corpusGraph, expectSameDetections } from './fixtures.js';

const MODULES = [{ plugin: detection.name, value: detection.module }];

describe('detection module on BlazeFace', function () {
  this.timeout(120_000);
  let graph: Graph;
  before(async () => {
    await initBackend();
    graph = await corpusGraph('blazeface');
  });

  it('gives the adapter\'s detections in the graph (tfjs): boxes, keypoints, scores within 1e-4, and finds the astronaut\'s face', async () => {
    const composed = composeSignatures(graph, { signatures: { serving_default: ['detection'] }, moduleOptions: { detection: BLAZEFACE_OPTIONS } }, MODULES);
    const sig = composed.signatures.serving_default!;
    expect(Object.keys(sig.outputs)).to.deep.equal(['detection_boxes', 'detection_classes', 'detection_scores', 'num_detections', 'detection_keypoints']);
    const exec = await GraphExecutor.create(composed);
    try {
      const found: Record<string, number> = {};
      let astronautFace: number[] = [];
      for (const name of PHOTOS) {
        const ours = await exec.runSignature(sig, { input: await modelInput(graph, name) });
        const theirs = await adapterDetections(graph, name);
        found[name] = expectSameDetections(ours, theirs, 1e-4, name)[0]!;
        if (name === 'astronaut.png') astronautFace = Array.from(ours.detection_boxes!.data as Float32Array).slice(0, 4);
      }
      // In the photo the astronaut's face lies in the upper middle: rows ~15–35 %, columns ~35–55 % of the image.
      const [ymin, xmin, ymax, xmax] = astronautFace as [number, number, number, number];
      expect((ymin + ymax) / 2, 'face centre row').to.be.within(0.15, 0.35);
      expect((xmin + xmax) / 2, 'face centre column').to.be.within(0.35, 0.55);
      console.log(`      faces found: ${JSON.stringify(found)}`);
      expect(found['astronaut.png']).to.be.at.least(1);
    } finally {
      exec.dispose();
    }
  });
});
