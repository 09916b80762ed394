import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { compareTensors, initBackend, loadTfjsGraphModel, onCpuBackend, pinInputShapes } from '@modelport/core';
import { CORPUS_DIR } from './corpus-models.js';
import { describeFailures, exportAndCompare, inputsFor, runTfjs } from './run-both.js';

/** handtrack's outputs that count and name detections: equal, not merely close. */
const EXACT = { 'Identity_5:0': 'num_detections', 'Identity_2:0': 'detection_classes', 'Identity:0': 'detection_anchor_indices' };

/**
 * handtrack's post-processing (NMS per class, scores padded with -1, TopKV2 sorts of a length counted
 * at run time, an area mask) at two pinned input sizes. The reference is tfjs cpu: the model masks
 * boxes without area by Cast(area → bool), which TF, tfjs cpu and TFLite make area ≠ 0, while tfjs'
 * wasm backend truncates (every box of area < 1 masked, so only boxes clipped to the whole image are left).
 */
describe('exporter-tflite: handtrack detections in LiteRT.js vs tfjs cpu', function () {
  before(async function () {
    if (!existsSync(path.join(CORPUS_DIR, 'handtrack.json'))) this.skip(); // `npm run corpus` fetches it
    await initBackend();
  });

  for (const size of [256, 320]) {
    it(`at ${size}×${size}: same detections (count, classes, anchors), boxes and scores within 1e-4`, async () => {
      const graph = pinInputShapes(await loadTfjsGraphModel(path.join(CORPUS_DIR, 'handtrack.json')), { input_tensor: [1, size, size, 3] });
      const inputs = inputsFor(graph);
      const { outputs, ops } = await exportAndCompare(graph, {}, 1e-4, inputs);
      const cpu = await onCpuBackend(() => runTfjs(graph, inputs));
      const comparisons = Object.keys(cpu).map((k) => compareTensors(k, outputs[k]!, cpu[k]!, 1e-4));
      expect(comparisons.every((c) => c.ok), describeFailures(comparisons)).to.equal(true);
      for (const key of Object.keys(EXACT)) expect(Array.from(outputs[key]!.data as Float32Array), key).to.deep.equal(Array.from(cpu[key]!.data as Float32Array));
      expect(ops).to.include.members(['NON_MAX_SUPPRESSION_V5', 'TOPK_V2', 'WHERE']);
    });
  }
});
