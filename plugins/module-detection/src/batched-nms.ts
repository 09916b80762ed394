import type { TensorRef } from '@modelport/core';
import type { GraphOps } from './graph-ops.js';

export interface NmsSettings {
  readonly batch: number;
  readonly anchors: number;
  readonly classes: number;
  readonly maxDetections: number;
  readonly iouThreshold: number;
  readonly scoreThreshold: number;
  readonly classAgnostic: boolean;
}

/** Per output slot (image b, rank r): the candidate (flat index (b·anchors + a)·classes + c), whether the slot is filled, and per-image counts. */
export interface Selection {
  /** [batch, max] int32; 0 where empty */
  readonly candidate: TensorRef;
  /** [batch, max] float 1 / 0 */
  readonly filled: TensorRef;
  /** [batch] float, at most max */
  readonly count: TensorRef;
}

/**
 * Non-maximum suppression of every image and class at once with one NonMaxSuppressionV5:
 * candidates are (image, anchor, class) with the anchor's box, and each group (image and class,
 * or image when class-agnostic) is moved by group · (span + 1), span the extent of all boxes, so
 * boxes of different groups never overlap. The selection comes best first across images; a
 * TopKV2 on -(image · N + position) regroups it by image keeping that order, and a one-hot count
 * with a triangular MatMul gives where each image's run starts (no Cumsum or ScatterNd, which
 * not every format has).
 */
export function batchedNms(ops: GraphOps, boxes: TensorRef, scores: TensorRef, o: NmsSettings): Selection {
  const { batch: B, anchors: A, classes: C, maxDetections: max } = o;
  const N = B * A * C;
  const flatScores = ops.reshape(scores, [N]);
  const perCandidate = ops.reshape(ops.tile(ops.reshape(boxes, [B, A, 1, 4]), [1, 1, C, 1]), [N, 4]);
  const group = Array.from({ length: N }, (_, i) => (o.classAgnostic ? Math.floor(i / (A * C)) : Math.floor(i / (A * C)) * C + (i % C)));
  const span = ops.sub(ops.reduce('Max', boxes, [0, 1, 2]), ops.reduce('Min', boxes, [0, 1, 2]));
  const shift = ops.mul(ops.floats(group, [N, 1]), ops.add(span, ops.floats([1], [])));
  const selected = ops.nms(ops.add(perCandidate, shift), flatScores, N, o.iouThreshold, o.scoreThreshold);

  // Regroup by image, best first within each. A padding entry of image B (after every image)
  // keeps the list from being empty, which TopKV2 of some runtimes cannot take.
  const padded = ops.concat([selected, ops.ints([N])], 0, 'int32');
  const k = ops.length(padded);
  const image = ops.floor(ops.div(ops.toFloat(padded, 'int32'), ops.floats([A * C], [])));
  const position = ops.toFloat(ops.range(k), 'int32');
  const key = ops.mul(ops.add(ops.mul(image, ops.floats([N], [])), position), ops.floats([-1], []));
  const [, order] = ops.topK(key, k);
  const byImage = ops.gather(padded, order, 'int32');

  // Counts per image and the start of each image's run.
  const oneHot = ops.toFloat(ops.equal(ops.reshape(image, [-1, 1]), ops.floats(Array.from({ length: B }, (_, b) => b), [1, B])), 'bool');
  const counts = ops.reshape(ops.reduce('Sum', oneHot, [0]), [1, B]);
  const before = Array.from({ length: B * B }, (_, i) => (Math.floor(i / B) < i % B ? 1 : 0));
  const starts = ops.reshape(ops.matmul(counts, ops.floats(before, [B, B])), [B, 1]);
  const rank = ops.floats(Array.from({ length: max }, (_, r) => r), [1, max]);
  const filled = ops.toFloat(ops.less(rank, ops.reshape(counts, [B, 1])), 'bool');
  // Empty slots read entry 0 and then candidate 0: in range, and masked by `filled` later.
  const slot = ops.toInt(ops.mul(ops.add(starts, rank), filled));
  const candidate = ops.toInt(ops.mul(ops.toFloat(ops.gather(byImage, slot, 'int32'), 'int32'), filled));
  return {
    candidate,
    filled,
    count: ops.minimum(ops.reshape(counts, [B]), ops.floats([max], [])),
  };
}
