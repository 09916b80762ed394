import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { defaultSignature, initBackend, type Graph } from '@modelport/core';
import { CORPUS_DIR, loadCorpusModel } from './corpus-models.js';
import { describeFailures, exportAndCompare, inputsFor } from './run-both.js';

/**
 * rvm with only its full-size outputs: LiteRT.js returns outputs at their declared size, which the
 * ratio-sized states are not while the ratio is fed at run time. A file for one ratio with every
 * output, states included, is made with --input-value (test/e2e/dynamic-shapes.test.ts).
 */
function fullSizeOutputs(graph: Graph): Graph {
  const sig = defaultSignature(graph);
  const outputs = { fgr: sig.outputs.fgr!, pha: sig.outputs.pha! };
  return { ...graph, outputs: Object.values(outputs).map((t) => t.name), signatures: { serving_default: { ...sig, outputs } } };
}

describe('exporter-tflite: rvm sized at run time by its downsample_ratio, in LiteRT.js', function () {
  before(async function () {
    if (!existsSync(path.join(CORPUS_DIR, 'rvm.json'))) this.skip(); // `npm run corpus` fetches it
    await initBackend();
  });

  for (const ratio of [0.5, 0.25]) {
    it(`matches tfjs at ratio ${ratio}: the network runs at the downsampled size, fgr and pha come back at full size`, async () => {
      const graph = fullSizeOutputs(await loadCorpusModel('rvm'));
      const inputs = inputsFor(graph);
      (inputs['downsample_ratio:0']!.data as Float32Array)[0] = ratio;
      const { comparisons, ops } = await exportAndCompare(graph, {}, 1e-4, inputs);
      expect(comparisons.map((c) => c.output).sort()).to.deep.equal(['fgr', 'pha']);
      expect(comparisons.every((c) => c.ok), describeFailures(comparisons)).to.equal(true);
      expect(ops).to.include.members(['IF', 'RESIZE_BILINEAR']);
    });
  }
});
