import { expect } from 'chai';
import { anchorBoxes, directBoxes, gridAnchors, iou, nonMaxSuppression } from '../src/index.js';

const round = (a: ArrayLike<number>) => Array.from(a, (v) => +v.toFixed(5));

describe('box decoding and NMS', () => {
  it('turns direct boxes of each layout into normalised ymin, xmin, ymax, xmax', () => {
    expect(round(directBoxes([0.1, 0.2, 0.5, 0.6], 'yxyx', true, 1, 1))).to.deep.equal([0.1, 0.2, 0.5, 0.6]);
    expect(round(directBoxes([0.2, 0.1, 0.6, 0.5], 'xyxy', true, 1, 1))).to.deep.equal([0.1, 0.2, 0.5, 0.6]);
    expect(round(directBoxes([0.4, 0.3, 0.4, 0.4], 'cxcywh', true, 1, 1))).to.deep.equal([0.1, 0.2, 0.5, 0.6]);
    expect(round(directBoxes([10, 20, 50, 60], 'yxyx', false, 100, 200))).to.deep.equal([0.1, 0.1, 0.5, 0.3]);
  });

  it('decodes anchor offsets with the Faster R-CNN box coder', () => {
    const anchors = Float32Array.from([0.5, 0.5, 0.2, 0.4]);
    expect(round(anchorBoxes([0, 0, 0, 0], anchors, [10, 10, 5, 5]))).to.deep.equal([0.4, 0.3, 0.6, 0.7]);
    // centre moves by ty·h/10, size grows by exp(th/5)
    const moved = anchorBoxes([10, 0, 5 * Math.log(2), 0], anchors, [10, 10, 5, 5]);
    expect(round(moved)).to.deep.equal([0.5, 0.3, 0.9, 0.7]);
  });

  it('generates SSD grid anchors cell by cell, ratio by ratio', () => {
    const anchors = gridAnchors({ featureMapSizes: [[2, 2], [1, 1]], scales: [0.2, 0.8], aspectRatios: [1, 4] });
    expect(anchors.length / 4).to.equal(2 * 2 * 2 + 2);
    expect(round(anchors.subarray(0, 8))).to.deep.equal([0.25, 0.25, 0.2, 0.2, 0.25, 0.25, 0.1, 0.4]);
    expect(round(anchors.subarray(32, 36))).to.deep.equal([0.5, 0.5, 0.8, 0.8]);
  });

  it('keeps the best of overlapping boxes per class, all classes when class-agnostic', () => {
    const boxes = Float32Array.from([0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 0, 1, 1]);
    expect(iou(boxes, 0, 1)).to.be.closeTo(0.9 / 1.1, 1e-6);
    const candidates = [{ box: 0, cls: 0, score: 0.9 }, { box: 1, cls: 0, score: 0.8 }, { box: 2, cls: 1, score: 0.7 }, { box: 2, cls: 0, score: 0.1 }];
    const o = { scoreThreshold: 0.2, iouThreshold: 0.5, maxDetections: 10, classAgnostic: false };
    expect(nonMaxSuppression(boxes, candidates, o).map((c) => c.box)).to.deep.equal([0, 2]);
    expect(nonMaxSuppression(boxes, candidates, { ...o, classAgnostic: true }).map((c) => c.box)).to.deep.equal([0]);
    expect(nonMaxSuppression(boxes, candidates, { ...o, iouThreshold: 0.95 }).map((c) => c.box)).to.deep.equal([0, 1, 2]);
    expect(nonMaxSuppression(boxes, candidates, { ...o, iouThreshold: 0.95, maxDetections: 2 })).to.have.length(2);
  });
});
