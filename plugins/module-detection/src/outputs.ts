import { IMAGE_INFO_KEY, type ImageInfo, type ModuleContext, type SignatureTensor, type TensorRef } from '@modelport/core';
import type { Selection } from './batched-nms.js';
import type { GraphOps } from './graph-ops.js';

export interface Picked {
  readonly batch: number;
  readonly anchors: number;
  readonly classes: number;
  readonly maxDetections: number;
  readonly classIdOffset: number;
  /** [batch, anchors, 4] */
  readonly boxes: TensorRef;
  /** [batch, anchors, classes] */
  readonly scores: TensorRef;
  /** [batch, anchors, 2·K] */
  readonly keypoints?: TensorRef;
  readonly keypointCount: number;
}

/**
 * The outputs TFLite detection consumers read, in their order: detection_boxes (clipped to [0, 1]),
 * detection_classes (float, + classIdOffset), detection_scores, num_detections, then
 * detection_keypoints; empty slots are zeros. Behind a letterboxing image stage, y and x are
 * divided by the part of the input the image fills, so they refer to the caller's image.
 */
export function detectionOutputs(ctx: ModuleContext, ops: GraphOps, p: Picked, s: Selection): Record<string, SignatureTensor> {
  const { batch: B, anchors: A, classes: C, maxDetections: max } = p;
  const candidate = ops.toFloat(s.candidate, 'int32');
  const box = ops.floor(ops.div(candidate, ops.floats([C], [])));
  const cls = ops.sub(candidate, ops.mul(box, ops.floats([C], [])));
  const boxIndex = ops.toInt(box);
  const filled3 = ops.reshape(s.filled, [B, max, 1]);
  const info = ctx.shared.get(IMAGE_INFO_KEY) as ImageInfo | undefined;
  const valid = info ? ops.reshape(info.valid, [B, 2]) : undefined;

  let boxes = ops.gather(ops.reshape(p.boxes, [B * A, 4]), boxIndex);
  if (valid) boxes = ops.div(boxes, ops.reshape(ops.concat([valid, valid], 1), [B, 1, 4]));
  boxes = ops.mul(ops.minimum(ops.maximum(boxes, ops.floats([0], [])), ops.floats([1], [])), filled3);
  const scores = ops.mul(ops.gather(ops.reshape(p.scores, [B * A * C]), s.candidate), s.filled);
  const classes = ops.mul(ops.add(cls, ops.floats([p.classIdOffset], [])), s.filled);
  const out: Record<string, SignatureTensor> = {
    detection_boxes: { name: boxes, dtype: 'float32', shape: [B, max, 4] },
    detection_classes: { name: classes, dtype: 'float32', shape: [B, max] },
    detection_scores: { name: scores, dtype: 'float32', shape: [B, max] },
    num_detections: { name: s.count, dtype: 'float32', shape: [B] },
  };
  if (p.keypoints && p.keypointCount > 0) {
    const K = p.keypointCount;
    let points = ops.reshape(ops.gather(ops.reshape(p.keypoints, [B * A, 2 * K]), boxIndex), [B, max, K, 2]);
    if (valid) points = ops.div(points, ops.reshape(valid, [B, 1, 1, 2]));
    // Keypoints are not clipped: a face's eye may lie outside its box or the image.
    out.detection_keypoints = { name: ops.mul(points, ops.reshape(s.filled, [B, max, 1, 1])), dtype: 'float32', shape: [B, max, K, 2] };
  }
  return out;
}
