import { iou, type Boxes } from './box-coding.js';

export interface Candidate {
  readonly box: number;
  readonly cls: number;
  readonly score: number;
}

export interface NmsOptions {
  readonly scoreThreshold: number;
  readonly iouThreshold: number;
  readonly maxDetections: number;
  readonly classAgnostic: boolean;
}

/**
 * Greedy non-maximum suppression of candidates scoring above scoreThreshold (strictly, as TF's
 * NonMaxSuppressionV5, so exported graphs agree): best score first, a candidate is dropped when it overlaps a
 * kept one (of its class, or any class when class-agnostic) by more than iouThreshold.
 * Ties keep the lower box index, so results are stable.
 */
export function nonMaxSuppression(boxes: Boxes, candidates: readonly Candidate[], o: NmsOptions): Candidate[] {
  const sorted = candidates.filter((c) => c.score > o.scoreThreshold).sort((a, b) => b.score - a.score || a.box - b.box || a.cls - b.cls);
  const kept: Candidate[] = [];
  for (const c of sorted) {
    if (kept.length >= o.maxDetections) break;
    if (kept.some((k) => (o.classAgnostic || k.cls === c.cls) && iou(boxes, k.box, c.box) > o.iouThreshold)) continue;
    kept.push(c);
  }
  return kept;
}
