import type { Anchors } from './anchors.js';

/** Boxes as [ymin, xmin, ymax, xmax] normalised to the image, one flat array of 4 per box. */
export type Boxes = Float32Array;

/** Direct boxes in any of the usual layouts, to normalised yxyx. */
export function directBoxes(raw: ArrayLike<number>, format: 'yxyx' | 'xyxy' | 'cxcywh', normalized: boolean, height: number, width: number): Boxes {
  const out = new Float32Array(raw.length);
  const sy = normalized ? 1 : 1 / height;
  const sx = normalized ? 1 : 1 / width;
  for (let i = 0; i < raw.length; i += 4) {
    const [a, b, c, d] = [raw[i]!, raw[i + 1]!, raw[i + 2]!, raw[i + 3]!];
    let box: [number, number, number, number];
    if (format === 'yxyx') box = [a, b, c, d];
    else if (format === 'xyxy') box = [b, a, d, c];
    else box = [b - d / 2, a - c / 2, b + d / 2, a + c / 2]; // cx, cy, w, h
    out[i] = box[0] * sy; out[i + 1] = box[1] * sx; out[i + 2] = box[2] * sy; out[i + 3] = box[3] * sx;
  }
  return out;
}

/**
 * Offsets (ty, tx, th, tw) relative to anchors (cy, cx, h, w), the Faster R-CNN box coder that
 * SSD models of the TF Object Detection API use: centre moves by t·size/scale, size by exp(t/scale).
 */
export function anchorBoxes(codes: ArrayLike<number>, anchors: Anchors, scaleFactors: readonly number[]): Boxes {
  const [fy, fx, fh, fw] = scaleFactors as [number, number, number, number];
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i += 4) {
    const [cyA, cxA, hA, wA] = [anchors[i]!, anchors[i + 1]!, anchors[i + 2]!, anchors[i + 3]!];
    const cy = (codes[i]! / fy) * hA + cyA;
    const cx = (codes[i + 1]! / fx) * wA + cxA;
    const h = Math.exp(codes[i + 2]! / fh) * hA;
    const w = Math.exp(codes[i + 3]! / fw) * wA;
    out[i] = cy - h / 2; out[i + 1] = cx - w / 2; out[i + 2] = cy + h / 2; out[i + 3] = cx + w / 2;
  }
  return out;
}

/** Box i of a flat yxyx array with its corners in order (ymin ≤ ymax, xmin ≤ xmax). */
function corners(boxes: Boxes, i: number): [number, number, number, number] {
  const [y1, x1, y2, x2] = [boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!];
  return [Math.min(y1, y2), Math.min(x1, x2), Math.max(y1, y2), Math.max(x1, x2)];
}

/**
 * Intersection over union of boxes i and j of a flat yxyx array. Corners may come in either
 * order, as TF's NonMaxSuppression takes them, so exported graphs suppress the same boxes.
 */
export function iou(boxes: Boxes, i: number, j: number): number {
  const [ay1, ax1, ay2, ax2] = corners(boxes, i);
  const [by1, bx1, by2, bx2] = corners(boxes, j);
  const ih = Math.min(ay2, by2) - Math.max(ay1, by1);
  const iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
  if (ih <= 0 || iw <= 0) return 0;
  const inter = ih * iw;
  return inter / ((ay2 - ay1) * (ax2 - ax1) + (by2 - by1) * (bx2 - bx1) - inter);
}
