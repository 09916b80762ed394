import { DEFAULT_SCALE_FACTORS, directBoxes, loadAnchors, type BoxDecoding } from '@modelport/adapter-detection';
import type { ModuleContext, TensorRef } from '@modelport/core';
import type { GraphOps } from './graph-ops.js';
import type { DetectorOutputs } from './model-outputs.js';

/** Decoded boxes [batch, anchors, 4] (ymin, xmin, ymax, xmax normalised) and keypoints [batch, anchors, 2·K] (y, x pairs). */
export interface DecodedBoxes {
  readonly boxes: TensorRef;
  readonly keypoints?: TensorRef;
}

/** Direct boxes: the adapter's layouts as a fixed linear map of the four columns (a 4×4 matrix). */
function decodeDirect(ops: GraphOps, model: DetectorOutputs, decoding: BoxDecoding, height: number, width: number): TensorRef {
  // Column j of the matrix is the decoded box of the unit raw box e_j: directBoxes is linear.
  const columns = [0, 1, 2, 3].map((j) => directBoxes([0, 1, 2, 3].map((k) => (k === j ? 1 : 0)), decoding.format ?? 'yxyx', decoding.normalized ?? true, height, width));
  const matrix = [0, 1, 2, 3].flatMap((j) => [0, 1, 2, 3].map((i) => columns[j]![i]!));
  const first4 = ops.reshape(ops.lastAxis(model.boxes, 3, 0, 4), [model.batch * model.anchors, 4]);
  return ops.reshape(ops.matmul(first4, ops.floats(matrix, [4, 4])), [model.batch, model.anchors, 4]);
}

/**
 * The adapter's box coders (see decodeRows in @modelport/adapter-detection) as graph ops on
 * [batch, anchors, columns]: anchors are constants [anchors, 1] per coordinate.
 */
export function decodeBoxes(ctx: ModuleContext, ops: GraphOps, model: DetectorOutputs, decoding: BoxDecoding, inputSize: [number, number]): DecodedBoxes {
  if (decoding.decode !== 'anchors') return { boxes: decodeDirect(ops, model, decoding, inputSize[0], inputSize[1]) };
  if (!decoding.anchors) ctx.fail('boxes.decode is "anchors" but no boxes.anchors are given', 'boxes.anchors');
  let anchors: Float32Array;
  try {
    anchors = loadAnchors(decoding.anchors, ctx.resolve);
  } catch (e) {
    ctx.fail((e as Error).message, 'boxes.anchors');
  }
  if (anchors.length / 4 !== model.anchors) ctx.fail(`the model gives ${model.anchors} boxes but ${anchors.length / 4} anchors`, 'boxes.anchors');
  const coder = decoding.coder ?? 'faster-rcnn';
  const mediapipe = coder === 'mediapipe';
  const factors = decoding.scaleFactors ?? DEFAULT_SCALE_FACTORS[coder];
  const [sy, sx, sh, sw] = mediapipe ? [factors[1]!, factors[0]!, factors[3]!, factors[2]!] : factors;
  const anchor = (k: number) => ops.floats(Array.from({ length: model.anchors }, (_, i) => anchors[i * 4 + k]!), [model.anchors, 1]);
  const [cyA, cxA, hA, wA] = [anchor(0), anchor(1), anchor(2), anchor(3)];
  const column = (j: number) => ops.lastAxis(model.boxes, 3, j, j + 1);
  // Raw column of each quantity: MediaPipe rows are (x, y, w, h), Faster R-CNN's (ty, tx, th, tw).
  const [ty, tx, th, tw] = mediapipe ? [column(1), column(0), column(3), column(2)] : [column(0), column(1), column(2), column(3)];
  const move = (t: TensorRef, s: number, size: TensorRef, centre: TensorRef) => ops.add(ops.mul(ops.div(t, ops.floats([s], [])), size), centre);
  const grow = (t: TensorRef, s: number, size: TensorRef) => ops.mul(mediapipe ? ops.div(t, ops.floats([s], [])) : ops.exp(ops.div(t, ops.floats([s], []))), size);
  const cy = move(ty, sy!, hA, cyA);
  const cx = move(tx, sx!, wA, cxA);
  const half = ops.floats([0.5], []);
  const h2 = ops.mul(grow(th, sh!, hA), half);
  const w2 = ops.mul(grow(tw, sw!, wA), half);
  const boxes = ops.concat([ops.sub(cy, h2), ops.sub(cx, w2), ops.add(cy, h2), ops.add(cx, w2)], 2);
  const count = decoding.keypoints ?? 0;
  if (count === 0) return { boxes };
  const points: TensorRef[] = [];
  for (let k = 0; k < count; k++) {
    const [a, b] = [column(4 + 2 * k), column(5 + 2 * k)];
    const [ky, kx] = mediapipe ? [b, a] : [a, b];
    points.push(move(ky, sy!, hA, cyA), move(kx, sx!, wA, cxA));
  }
  return { boxes, keypoints: ops.concat(points, 2) };
}
