import type { Anchors } from './anchors.js';
import type { Boxes } from './box-coding.js';

export type BoxCoder = 'faster-rcnn' | 'mediapipe';

/** Each coder's scale factors when none are given: TF OD API's [y, x, h, w]; MediaPipe's [x, y, w, h]. */
export const DEFAULT_SCALE_FACTORS: Readonly<Record<BoxCoder, readonly number[]>> = {
  'faster-rcnn': [10, 10, 5, 5],
  mediapipe: [1, 1, 1, 1],
};

/** Decoded boxes (normalised yxyx, 4 per box) and keypoints (normalised y, x; keypoints · 2 per box). */
export interface DecodedRows {
  readonly boxes: Boxes;
  readonly keypoints: Float32Array;
}

/**
 * Rows of `columns` values per anchor, decoded against anchors (cy, cx, h, w).
 * faster-rcnn: (ty, tx, th, tw) — centre moves by t·size/scale, size by exp(t/scale); keypoints
 * (y, x) pairs move like the centre (TF OD API's keypoint box coder).
 * mediapipe: (x, y, w, h) — centre moves by raw/scale·size, size is raw/scale·anchor size
 * (TensorsToDetections with fixed-size anchors); keypoints (x, y) pairs move like the centre.
 */
export function decodeRows(raw: ArrayLike<number>, columns: number, anchors: Anchors, coder: BoxCoder, scaleFactors: readonly number[], keypoints: number): DecodedRows {
  const count = raw.length / columns;
  const boxes = new Float32Array(count * 4);
  const points = new Float32Array(count * keypoints * 2);
  const mediapipe = coder === 'mediapipe';
  // Scales as y, x, h, w whichever order the coder takes them in.
  const [sy, sx, sh, sw] = mediapipe ? [scaleFactors[1]!, scaleFactors[0]!, scaleFactors[3]!, scaleFactors[2]!] : scaleFactors as [number, number, number, number];
  for (let i = 0; i < count; i++) {
    const r = i * columns;
    const [cyA, cxA, hA, wA] = [anchors[i * 4]!, anchors[i * 4 + 1]!, anchors[i * 4 + 2]!, anchors[i * 4 + 3]!];
    const [ty, tx, th, tw] = mediapipe ? [raw[r + 1]!, raw[r]!, raw[r + 3]!, raw[r + 2]!] : [raw[r]!, raw[r + 1]!, raw[r + 2]!, raw[r + 3]!];
    const cy = (ty / sy) * hA + cyA;
    const cx = (tx / sx) * wA + cxA;
    const h = mediapipe ? (th / sh) * hA : Math.exp(th / sh) * hA;
    const w = mediapipe ? (tw / sw) * wA : Math.exp(tw / sw) * wA;
    boxes[i * 4] = cy - h / 2; boxes[i * 4 + 1] = cx - w / 2; boxes[i * 4 + 2] = cy + h / 2; boxes[i * 4 + 3] = cx + w / 2;
    for (let k = 0; k < keypoints; k++) {
      const a = raw[r + 4 + 2 * k]!;
      const b = raw[r + 5 + 2 * k]!;
      const [ky, kx] = mediapipe ? [b, a] : [a, b];
      points[(i * keypoints + k) * 2] = (ky / sy) * hA + cyA;
      points[(i * keypoints + k) * 2 + 1] = (kx / sx) * wA + cxA;
    }
  }
  return { boxes, keypoints: points };
}
