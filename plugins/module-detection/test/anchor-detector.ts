import { GraphBuilder, seededRandom, type Graph } from '@modelport/core';

export const BATCH = 2;
export const CELLS = 4;
/** 4·4 cells, two aspect ratios: 32 anchors. */
export const ANCHORS = { featureMapSizes: [[CELLS, CELLS] as [number, number]], scales: [0.4], aspectRatios: [1, 2] };
export const ANCHOR_COUNT = CELLS * CELLS * 2;
/** Three classes and background. */
export const CLASSES = 3;

const T = { T: { type: 'float32' } } as const;

/**
 * A Faster R-CNN-style head on a 4×4×3 image: per cell, a linear map to two anchors' offsets
 * (ty, tx, th, tw) and to their logits over background and three classes. Weights are seeded
 * random, large enough that softmax picks classes with confidence.
 */
export function anchorDetector(): Graph {
  const random = seededRandom(7);
  const weights = (n: number, scale: number) => Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  const b = new GraphBuilder();
  const x = b.input('image', 'float32', [BATCH, CELLS, CELLS, 3]);
  const shape = (name: string, dims: number[]) => b.constant(name, 'int32', [dims.length], Int32Array.from(dims));
 // Centred pixels, so that which class wins depends on the image.
  const centred = b.node('centred', { op: 'Sub', inputs: [x, b.constant('half', 'float32', [], Float32Array.of(0.5))], attrs: T });
  const cells = b.node('cells', { op: 'Reshape', inputs: [centred, shape('cells_shape', [BATCH * CELLS * CELLS, 3])], attrs: { ...T, Tshape: { type: 'int32' } } });
  const mm = (name: string, w: number[], cols: number) => b.node(name, {
    op: 'MatMul', inputs: [cells, b.constant(`${name}_w`, 'float32', [3, cols], Float32Array.from(w))], attrs: { ...T, transpose_a: { b: false }, transpose_b: { b: false } },
  });
  const offsets = mm('offsets', weights(3 * 8, 1.5), 8);
  const logits = mm('logits', weights(3 * 2 * (CLASSES + 1), 4), 2 * (CLASSES + 1));
  const boxes = b.node('raw_boxes', { op: 'Reshape', inputs: [offsets, shape('boxes_shape', [BATCH, ANCHOR_COUNT, 4])], attrs: { ...T, Tshape: { type: 'int32' } } });
  const scores = b.node('class_scores', { op: 'Reshape', inputs: [logits, shape('scores_shape', [BATCH, ANCHOR_COUNT, CLASSES + 1])], attrs: { ...T, Tshape: { type: 'int32' } } });
  return b.outputs(boxes, scores).signature('serving_default', {
    inputs: { image: { name: 'image:0', dtype: 'float32', shape: [BATCH, CELLS, CELLS, 3] } },
    outputs: {
      raw_boxes: { name: 'raw_boxes:0', dtype: 'float32', shape: [BATCH, ANCHOR_COUNT, 4] },
      class_scores: { name: 'class_scores:0', dtype: 'float32', shape: [BATCH, ANCHOR_COUNT, CLASSES + 1] },
    },
  }).build();
}
