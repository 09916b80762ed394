import { readLabels } from '@modelport/images';
import type { OutputModule, Signature } from '@modelport/core';
import { batchedNms } from './batched-nms.js';
import { classScores } from './class-scores.js';
import { decodeBoxes } from './decode-boxes.js';
import { GraphOps } from './graph-ops.js';
import { detectorOutputs } from './model-outputs.js';
import { MODULE_NAME, OPTIONS_SCHEMA, type DetectionOptions } from './options.js';
import { detectionOutputs } from './outputs.js';

/** The model's image input size [height, width], for direct boxes in pixels. */
function inputSize(model: Signature): [number, number] {
  const image = Object.values(model.inputs).find((t) => t.shape?.length === 4);
  return image?.shape ? [image.shape[1]!, image.shape[2]!] : [1, 1];
}

/**
 * Box decoding, NMS and the detection_* outputs inside the exported graph, read from the same
 * options as @modelport/adapter-detection (its serving-only options are ignored).
 */
export const detectionModule: OutputModule<DetectionOptions> = {
  kind: 'output',
  name: MODULE_NAME,
  description: 'decodes boxes (direct, Faster R-CNN or MediaPipe anchors), batched NMS, detection_boxes/classes/scores/num_detections',
  optionsSchema: OPTIONS_SCHEMA,
  build(ctx, options, modelOutputs) {
    const ops = new GraphOps(ctx);
    const decoding = options.boxes ?? {};
    const keypoints = decoding.keypoints ?? 0;
    if (keypoints > 0 && decoding.decode !== 'anchors') ctx.fail('boxes.keypoints needs boxes.decode "anchors": keypoints are decoded against the anchors', 'boxes.keypoints');
    const model = detectorOutputs(ctx, ops, modelOutputs, options.outputs, 4 + 2 * keypoints);
    if (options.outputs?.classes) ctx.fail('a separate classes output is read at serve time only; in the exported graph give per-class scores [batch, anchors, classes]', 'outputs.classes');
    const candidates = model.batch * model.anchors * model.classes;
    if ((model.batch + 2) * candidates >= 2 ** 24) ctx.fail(`${candidates} candidates (batch · anchors · classes) are more than the in-graph NMS orders exactly (2^24 / (batch + 2))`);
    const { boxes, keypoints: points } = decodeBoxes(ctx, ops, model, decoding, inputSize(ctx.model));
    const { scores, classes } = classScores(ops, model, options);
    const settings = {
      batch: model.batch, anchors: model.anchors, classes, maxDetections: options.maxDetections ?? 100,
      iouThreshold: options.iouThreshold ?? 0.5, scoreThreshold: options.scoreThreshold ?? 0.25, classAgnostic: options.classAgnostic ?? false,
    };
    const selection = batchedNms(ops, boxes, scores, settings);
    const outputs = detectionOutputs(ctx, ops, {
      ...settings, boxes, scores, ...(points ? { keypoints: points } : {}), keypointCount: keypoints, classIdOffset: options.classIdOffset ?? 1,
    }, selection);
    let labels: readonly string[] | undefined;
    try {
      labels = readLabels(options.labels, ctx.resolve);
    } catch (e) {
      ctx.fail((e as Error).message, 'labels');
    }
    return { outputs, ...(labels ? { metadata: { labels } } : {}) };
  },
};
