import { expect } from 'chai';
import { PIXELS_SIGNATURE, wrapDetector, type DetectionOptions } from '@modelport/adapter-detection';
import { composeSignatures, GraphExecutor, IMAGE_INFO_KEY, initBackend, ModuleError, seededRandom, type ExportModule, type TensorData } from '@modelport/core';
import { detection } from '../src/index.js';
import { ANCHOR_COUNT, ANCHORS, anchorDetector, BATCH, CELLS, CLASSES } from './anchor-detector.js';
import { expectSameDetections, graphPredictor } from './fixtures.js';

const MODULES = [{ plugin: detection.name, value: detection.module }];
const OPTIONS: DetectionOptions = {
  boxes: { decode: 'anchors', anchors: ANCHORS },
  scoreActivation: 'softmax', backgroundClass: true, scoreThreshold: 0.5, iouThreshold: 0.3, maxDetections: 12,
};

function pixels(seed: number): TensorData {
  const random = seededRandom(seed);
  return { dtype: 'float32', shape: [BATCH, CELLS, CELLS, 3], data: Float32Array.from({ length: BATCH * CELLS * CELLS * 3 }, () => Math.floor(random() * 256)) };
}

/** The composed graph's detections and the adapter's on the same images (the batch the adapter fed the model). */
async function bothWays(options: DetectionOptions, seed: number): Promise<[Record<string, TensorData>, Record<string, TensorData>]> {
  const graph = anchorDetector();
  const fed: Record<string, TensorData>[] = [];
  const adapter = wrapDetector(await graphPredictor(graph, fed), options);
  const theirs = await adapter.predict({ images: pixels(seed) }, PIXELS_SIGNATURE);
  await adapter.dispose();
  const composed = composeSignatures(graph, { signatures: { detect: ['detection'] }, moduleOptions: { detection: options } }, MODULES);
  const exec = await GraphExecutor.create(composed);
  try {
    return [await exec.runSignature(composed.signatures.detect!, { image: fed[0]!.image! }), theirs];
  } finally {
    exec.dispose();
  }
}

const compose = (options: DetectionOptions) => () => composeSignatures(anchorDetector(), { signatures: { detect: ['detection'] }, moduleOptions: { detection: options } }, MODULES, 'options.json');

describe('detection module on a Faster R-CNN-style head (batch 2, softmax with background)', function () {
  this.timeout(60_000);
  before(() => initBackend());

  for (const classAgnostic of [false, true]) {
    it(`gives the adapter's detections for both images, ${classAgnostic ? 'class-agnostic' : 'per class'} NMS`, async () => {
      for (const [seed, maxDetections] of [[1, 100], [2, 100], [3, 3]] as const) {
        const [ours, theirs] = await bothWays({ ...OPTIONS, classAgnostic, maxDetections }, seed);
        const num = expectSameDetections(ours, theirs, 1e-4, `seed ${seed}`);
        console.log(`      seed ${seed}: detections per image ${JSON.stringify(num)}, classes ${JSON.stringify(Array.from(theirs.detection_classes!.data as Float32Array).slice(0, 12))}`);
        expect(num.every((n) => n >= 1), 'every image has detections').to.equal(true);
      }
    });
  }

  it('decodes direct boxes of any layout as the adapter does (cxcywh in pixels, sigmoid scores)', async () => {
    for (const format of ['cxcywh', 'xyxy'] as const) {
      const options: DetectionOptions = { boxes: { decode: 'direct', format, normalized: false }, scoreActivation: 'sigmoid', scoreThreshold: 0.6, iouThreshold: 0.5, maxDetections: 20 };
      const [ours, theirs] = await bothWays(options, 4);
      const num = expectSameDetections(ours, theirs, 1e-4, format);
      expect(num.every((n) => n >= 1), `${format}: every image has detections`).to.equal(true);
    }
  });

  it('pads with zeros when nothing scores above the threshold', async () => {
    const [ours, theirs] = await bothWays({ ...OPTIONS, scoreThreshold: 0.999999 }, 1);
    expect(expectSameDetections(ours, theirs, 0, 'nothing kept')).to.deep.equal([0, 0]);
    expect(Array.from(ours.detection_boxes!.data as Float32Array).every((v) => v === 0)).to.equal(true);
  });

  it('names the option when anchors, outputs or shapes do not fit the model', () => {
    expect(compose({ ...OPTIONS, boxes: { decode: 'anchors', anchors: { ...ANCHORS, aspectRatios: [1] } } })).to.throw(ModuleError,
      `signature "detect", module "detection", option "boxes.anchors" (set in options.json): the model gives ${ANCHOR_COUNT} boxes but ${ANCHOR_COUNT / 2} anchors`);
    expect(compose({ ...OPTIONS, outputs: { boxes: 'boxes' } })).to.throw(ModuleError, /option "outputs.boxes" .*: the model has no output "boxes" \(it has raw_boxes, class_scores\)/);
    expect(compose({ ...OPTIONS, boxes: { ...OPTIONS.boxes, keypoints: 1 } })).to.throw(ModuleError, /option "outputs.boxes" .*: boxes must be \[batch, anchors, 6 or more\].*raw_boxes \[2, 32, 4\]/);
    expect(compose({ ...OPTIONS, outputs: { scores: ['class_scores', 'class_scores'] } })).to.throw(ModuleError, /the model gives 32 boxes but 64 scores/);
    expect(compose({ ...OPTIONS, outputs: { classes: 'class_scores' } })).to.throw(ModuleError, /option "outputs.classes"/);
    const fixed = anchorDetector();
    const sig = fixed.signatures.serving_default!;
    const open = { ...fixed, signatures: { serving_default: { ...sig, outputs: { ...sig.outputs, raw_boxes: { ...sig.outputs.raw_boxes!, shape: [-1, ANCHOR_COUNT, 4] } } } } };
    expect(() => composeSignatures(open, { signatures: { detect: ['detection'] }, moduleOptions: { detection: OPTIONS } }, MODULES))
      .to.throw(ModuleError, /needs the model's batch size and anchor count fixed; the model gives raw_boxes \[-1, 32, 4\]/);
  });

  it('reads scores as the adapter does: per class, background dropped, class ids offset', async () => {
    const [ours] = await bothWays({ ...OPTIONS, classIdOffset: 10 }, 1);
    const classes = Array.from(ours.detection_classes!.data as Float32Array);
    const num = Array.from(ours.num_detections!.data as Float32Array);
    const used = classes.filter((_, i) => i % 12 < num[Math.floor(i / 12)]!);
    expect(used.every((c) => c >= 10 && c < 10 + CLASSES)).to.equal(true);
  });

  it('maps boxes back to the caller\'s image behind a letterboxing input stage, and keeps the labels with the signature', async () => {
    // An input stage as the image module shares its letterbox: valid = the fraction of the input the image fills.
    const letterbox: ExportModule = {
      kind: 'input', name: 'letterbox',
      build(ctx) {
        ctx.shared.set(IMAGE_INFO_KEY, { valid: ctx.ops.input('valid', 'float32', [BATCH, 2]) });
        return { feeds: { image: ctx.ops.input('pixels', 'float32', [BATCH, CELLS, CELLS, 3]) } };
      },
    };
    const labels = ['cat', 'dog', 'bird'];
    const options = { ...OPTIONS, labels };
    const composed = composeSignatures(anchorDetector(), { signatures: { detect: ['letterbox', 'detection'] }, moduleOptions: { detection: options } },
      [...MODULES, { plugin: 'test', value: letterbox }]);
    expect(composed.signatures.detect!.moduleMetadata?.detection).to.deep.equal({ labels });
    const fed: Record<string, TensorData>[] = [];
    const adapter = wrapDetector(await graphPredictor(anchorDetector(), fed), options);
    const theirs = await adapter.predict({ images: pixels(1) }, PIXELS_SIGNATURE);
    await adapter.dispose();
    const valid = [0.5, 1, 1, 0.8];
    const exec = await GraphExecutor.create(composed);
    try {
      const ours = await exec.runSignature(composed.signatures.detect!, { pixels: fed[0]!.image!, valid: { dtype: 'float32', shape: [BATCH, 2], data: Float32Array.from(valid) } });
      expect(Array.from(ours.num_detections!.data as Float32Array)).to.deep.equal(Array.from(theirs.num_detections!.data as Float32Array));
      // The adapter's boxes are clipped; with valid ≤ 1, clip(box / valid) = clip(clip(box) / valid).
      const max = OPTIONS.maxDetections!;
      const expected = Array.from(theirs.detection_boxes!.data as Float32Array, (v, i) => Math.min(1, Math.max(0, v / valid[Math.floor(i / (max * 4)) * 2 + (i % 2 === 0 ? 0 : 1)]!)));
      const actual = Array.from(ours.detection_boxes!.data as Float32Array);
      expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)))).to.be.at.most(1e-5);
      expect(actual.some((v, i) => Math.abs(v - (theirs.detection_boxes!.data as Float32Array)[i]!) > 0.01), 'the letterbox moved some boxes').to.equal(true);
    } finally {
      exec.dispose();
    }
  });
});
