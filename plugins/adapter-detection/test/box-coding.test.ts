import { expect } from 'chai';
import { anchorBoxes, decodeRows, directBoxes, gridAnchors, iou, nonMaxSuppression } from '../src/index.js';

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
    // corners in either order, as TF's NMS reads them
    expect(iou(Float32Array.from([0, 0, 1, 1, 1, 1.1, 0, 0.1]), 0, 1)).to.be.closeTo(0.9 / 1.1, 1e-6);
    const candidates = [{ box: 0, cls: 0, score: 0.9 }, { box: 1, cls: 0, score: 0.8 }, { box: 2, cls: 1, score: 0.7 }, { box: 2, cls: 0, score: 0.1 }];
    const o = { scoreThreshold: 0.2, iouThreshold: 0.5, maxDetections: 10, classAgnostic: false };
    expect(nonMaxSuppression(boxes, candidates, o).map((c) => c.box)).to.deep.equal([0, 2]);
    expect(nonMaxSuppression(boxes, candidates, { ...o, classAgnostic: true }).map((c) => c.box)).to.deep.equal([0]);
    expect(nonMaxSuppression(boxes, candidates, { ...o, iouThreshold: 0.95 }).map((c) => c.box)).to.deep.equal([0, 1, 2]);
    expect(nonMaxSuppression(boxes, candidates, { ...o, iouThreshold: 0.95, maxDetections: 2 })).to.have.length(2);
  });

  it('decodes MediaPipe rows: (x, y, w, h) centre offsets, linear sizes, (x, y) keypoints', () => {
    const anchors = Float32Array.from([0.5, 0.5, 1, 1]);
    // cx = 12.8/128 + 0.5, cy = -25.6/128 + 0.5, w = 64/128, h = 128/128; keypoint (25.6, 0) → y 0.5, x 0.7
    const { boxes, keypoints } = decodeRows([12.8, -25.6, 64, 128, 25.6, 0], 6, anchors, 'mediapipe', [128, 128, 128, 128], 1);
    expect(round(boxes)).to.deep.equal([-0.2, 0.35, 0.8, 0.85]);
    expect(round(keypoints)).to.deep.equal([0.5, 0.7]);
    // faster-rcnn keypoints are (y, x) pairs moved like the centre
    const rcnn = decodeRows([0, 0, 0, 0, 10, -10], 6, Float32Array.from([0.5, 0.5, 0.2, 0.4]), 'faster-rcnn', [10, 10, 5, 5], 1);
    expect(round(rcnn.keypoints)).to.deep.equal([0.7, 0.1]);
  });

  it('repeats each cell\'s anchors anchorsPerCell times (BlazeFace: 16·16·2 + 8·8·6 = 896 unit anchors)', () => {
    const anchors = gridAnchors({ featureMapSizes: [[16, 16], [8, 8]], scales: [1, 1], anchorsPerCell: [2, 6] });
    expect(anchors.length / 4).to.equal(896);
    expect(round(anchors.subarray(0, 8))).to.deep.equal([0.03125, 0.03125, 1, 1, 0.03125, 0.03125, 1, 1]);
    expect(round(anchors.subarray(512 * 4, 512 * 4 + 4))).to.deep.equal([0.0625, 0.0625, 1, 1]);
    expect(round(anchors.subarray(517 * 4 + 4, 517 * 4 + 8))).to.deep.equal([0.0625, 0.1875, 1, 1]);
  });

  it('keeps only scores above the threshold, as TF\'s NMS does', () => {
    const boxes = Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]);
    const candidates = [{ box: 0, cls: 0, score: 0.5 }, { box: 1, cls: 0, score: 0.50001 }];
    const kept = nonMaxSuppression(boxes, candidates, { scoreThreshold: 0.5, iouThreshold: 0.5, maxDetections: 10, classAgnostic: false });
    expect(kept.map((c) => c.box)).to.deep.equal([1]);
  });
});
