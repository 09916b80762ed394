import { expect } from 'chai';
import { PNG } from 'pngjs';
import { initBackend, type Predictor, type TensorData } from '@modelport/core';
import { PIXELS_SIGNATURE, wrapDetector } from '../src/index.js';

/** A detector that sees nothing: it always finds the same three boxes, and records what it was fed. */
function fixedDetector(boxes: number[], scores: number[], classes: number, fed: TensorData[]): Predictor {
  const count = boxes.length / 4;
  return {
    format: 'synthetic',
    signatures: {
      serving_default: {
        inputs: { image: { name: 'image:0', dtype: 'float32', shape: [-1, 4, 4, 3] } },
        outputs: {
          raw_boxes: { name: 'raw_boxes:0', dtype: 'float32', shape: [-1, count, 4] },
          class_scores: { name: 'class_scores:0', dtype: 'float32', shape: [-1, count, classes] },
        },
      },
    },
    async predict(inputs) {
      const x = inputs.image!;
      fed.push(x);
      const n = x.shape[0]!;
      const rep = (a: number[]) => Float32Array.from(Array.from({ length: n }, () => a).flat());
      return {
        raw_boxes: { dtype: 'float32', shape: [n, count, 4], data: rep(boxes) },
        class_scores: { dtype: 'float32', shape: [n, count, classes], data: rep(scores) },
      };
    },
    async dispose() {},
  };
}

function png(width: number, height: number): Buffer {
  const img = new PNG({ width, height });
  img.data.fill(200);
  return PNG.sync.write(img);
}

describe('detection adapter', function () {
  this.timeout(30_000);
  before(() => initBackend());

  const boxes = [0.1, 0.1, 0.5, 0.5, 0.12, 0.1, 0.52, 0.5, 0.6, 0.6, 0.9, 1.2];
  const scores = [0.9, 0.05, 0.8, 0.1, 0.02, 0.7];

  it('decodes, suppresses and pads detections under the object-detection output names', async () => {
    const fed: TensorData[] = [];
    const detector = wrapDetector(fixedDetector(boxes, scores, 2, fed), { maxDetections: 4, labels: ['person', 'kite'] });
    expect(Object.keys(detector.signatures.serving_default!.outputs)).to.deep.equal(['detection_boxes', 'detection_scores', 'detection_classes', 'num_detections', 'detection_class_names']);
    const out = await detector.predict({ image_bytes: { dtype: 'string', shape: [2], data: [png(8, 6), png(3, 3)] as unknown as string[] } });
    expect(fed[0]!.shape).to.deep.equal([2, 4, 4, 3]);
    expect(out.num_detections!.data).to.deep.equal(Float32Array.from([2, 2]));
    expect(out.detection_boxes!.shape).to.deep.equal([2, 4, 4]);
    const b = Array.from(out.detection_boxes!.data as Float32Array, (v) => +v.toFixed(4));
    expect(b.slice(0, 16)).to.deep.equal([0.1, 0.1, 0.5, 0.5, 0.6, 0.6, 0.9, 1, 0, 0, 0, 0, 0, 0, 0, 0]); // clipped to [0, 1], zero-padded
    expect(Array.from(out.detection_scores!.data as Float32Array, (v) => +v.toFixed(4)).slice(0, 4)).to.deep.equal([0.9, 0.7, 0, 0]);
    expect(Array.from(out.detection_classes!.data as Float32Array).slice(0, 4)).to.deep.equal([1, 2, 0, 0]);
    expect((out.detection_class_names!.data as string[]).slice(0, 4)).to.deep.equal(['person', 'kite', '', '']);
  });

  it('decodes anchor offsets, drops a background column and applies softmax', async () => {
    const anchors = [[0.3, 0.3, 0.4, 0.4], [0.7, 0.7, 0.2, 0.2]];
    const codes = [0, 0, 0, 0, 0, 0, 0, 0];
    // per anchor: background, class A, class B as logits
    const logits = [0, 5, 0, 5, 0, 0];
    const detector = wrapDetector(fixedDetector(codes, logits, 3, []), {
      boxes: { decode: 'anchors', anchors }, scoreActivation: 'softmax', backgroundClass: true, classIdOffset: 0, scoreThreshold: 0.5,
    });
    const out = await detector.predict({ images: { dtype: 'float32', shape: [1, 4, 4, 3], data: new Float32Array(48) } }, PIXELS_SIGNATURE);
    expect(out.num_detections!.data).to.deep.equal(Float32Array.from([1]));
    expect(Array.from(out.detection_boxes!.data as Float32Array, (v) => +v.toFixed(4)).slice(0, 4)).to.deep.equal([0.1, 0.1, 0.5, 0.5]);
    expect((out.detection_classes!.data as Float32Array)[0]).to.equal(0);
    expect((out.detection_scores!.data as Float32Array)[0]).to.be.closeTo(Math.exp(5) / (2 + Math.exp(5)), 1e-5);
  });

  it('asks for anchors when decoding needs them, and for output names it cannot tell apart', () => {
    expect(() => wrapDetector(fixedDetector(boxes, scores, 2, []), { boxes: { decode: 'anchors' } })).to.throw(/no boxes.anchors/);
    const fixed = fixedDetector(boxes, scores, 2, []);
    const sig = fixed.signatures.serving_default!;
    const ambiguous: Predictor = { ...fixed, signatures: { serving_default: { inputs: sig.inputs, outputs: { a: sig.outputs.raw_boxes!, b: sig.outputs.class_scores! } } } };
    expect(() => wrapDetector(ambiguous, {})).to.throw(/set "outputs"/);
    expect(wrapDetector(ambiguous, { outputs: { boxes: 'a', scores: 'b' } }).signatures).to.have.property('serving_default');
  });
});
