import { InvalidInputError, ModelportError, type Predictor, type Signature, type SignatureTensor, type TensorData } from '@modelport/core';
import {
  DEFAULT_MAX_PIXELS, decodeImage, imageBytes, imageGeometry, imagesToBatch, pickTensor, pixelsToBatch, readLabels, type Normalization,
} from '@modelport/images';
import { loadAnchors, type Anchors } from './anchors.js';
import { anchorBoxes, directBoxes, type Boxes } from './box-coding.js';
import { nonMaxSuppression, type Candidate } from './nms.js';
import type { DetectionOptions } from './options.js';
import { resolveWith, type AdapterContext } from '@modelport/core';

export const BYTES_SIGNATURE = 'serving_default';
export const PIXELS_SIGNATURE = 'serving_images';

/** The model's output that holds `what`: the configured name, else the one whose name says so. */
function outputFor(outputs: Readonly<Record<string, SignatureTensor>>, configured: string | undefined, pattern: RegExp, what: string, required: boolean): string | undefined {
  if (configured) return pickTensor(outputs, configured, 'output')[0];
  const found = Object.keys(outputs).filter((n) => pattern.test(n));
  if (found.length === 1) return found[0];
  if (!required) return undefined;
  throw new ModelportError(`cannot tell which output holds the ${what} (${Object.keys(outputs).join(', ')}): set "outputs": { "${what}": … } in the adapter options`);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Per-class scores of one anchor, activation applied and background dropped. */
function classScores(row: Float32Array, activation: 'none' | 'sigmoid' | 'softmax', background: boolean): Float32Array {
  let s = row;
  if (activation === 'sigmoid') s = s.map(sigmoid);
  else if (activation === 'softmax') {
    const max = Math.max(...s);
    const e = s.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    s = e.map((v) => v / sum);
  }
  return background ? s.subarray(1) : s;
}

/**
 * Wraps a detector: images in (JPEG/PNG bytes as `image_bytes`, or pixel tensors as `images`),
 * boxes decoded (direct or from anchors), per-class NMS, and the outputs object-detection exporters
 * name: `detection_boxes` [n, max, 4] (ymin, xmin, ymax, xmax in [0, 1]), `detection_scores`,
 * `detection_classes` (float, + classIdOffset) [n, max], `num_detections` [n], zero-padded to maxDetections.
 */
export function wrapDetector(predictor: Predictor, options: DetectionOptions = {}, context?: AdapterContext): Predictor {
  const key = options.signature ?? 'serving_default';
  const sig = predictor.signatures[key];
  if (!sig) throw new ModelportError(`the model has no signature "${key}" (it has ${Object.keys(predictor.signatures).join(', ')})`);
  const [inputName, input] = pickTensor(sig.inputs, options.input, 'input');
  const geometry = imageGeometry(input, options.size, options.channels);
  const normalization: Normalization = { scale: options.scale ?? 'unit', ...(options.mean ? { mean: options.mean } : {}), ...(options.std ? { std: options.std } : {}) };
  const boxesOut = outputFor(sig.outputs, options.outputs?.boxes, /box/i, 'boxes', true)!;
  const scoresOut = outputFor(sig.outputs, options.outputs?.scores, /score|logit|class_pred/i, 'scores', true)!;
  const classesOut = outputFor(sig.outputs, options.outputs?.classes, /^(?!.*score).*class/i, 'classes', false);
  const decoding = options.boxes ?? {};
  const resolve = resolveWith(context);
  const anchors: Anchors | undefined = decoding.decode === 'anchors'
    ? loadAnchors(decoding.anchors ?? (() => { throw new ModelportError('boxes.decode is "anchors" but no boxes.anchors are given'); })(), resolve)
    : undefined;
  const labels = readLabels(options.labels, resolve);
  const max = options.maxDetections ?? 100;
  const nms = {
    scoreThreshold: options.scoreThreshold ?? 0.25, iouThreshold: options.iouThreshold ?? 0.5,
    maxDetections: max, classAgnostic: options.classAgnostic ?? false,
  };

  const outputs: Signature['outputs'] = {
    detection_boxes: { name: 'detection_boxes:0', dtype: 'float32', shape: [-1, max, 4] },
    detection_scores: { name: 'detection_scores:0', dtype: 'float32', shape: [-1, max] },
    detection_classes: { name: 'detection_classes:0', dtype: 'float32', shape: [-1, max] },
    num_detections: { name: 'num_detections:0', dtype: 'float32', shape: [-1] },
    ...(labels ? { detection_class_names: { name: 'detection_class_names:0', dtype: 'string', shape: [-1, max] } } : {}),
  };
  const signatures: Record<string, Signature> = {
    [BYTES_SIGNATURE]: { inputs: { image_bytes: { name: 'image_bytes:0', dtype: 'string', shape: [-1] } }, outputs, methodName: 'tensorflow/serving/predict' },
    [PIXELS_SIGNATURE]: { inputs: { images: { name: 'images:0', dtype: 'float32', shape: [-1, -1, -1, geometry.channels] } }, outputs, methodName: 'tensorflow/serving/predict' },
  };

  const decodeBoxes = (raw: ArrayLike<number>): Boxes => {
    if (!anchors) return directBoxes(raw, decoding.format ?? 'yxyx', decoding.normalized ?? true, geometry.height, geometry.width);
    if (anchors.length !== raw.length) throw new ModelportError(`the model gives ${raw.length / 4} boxes but there are ${anchors.length / 4} anchors`);
    return anchorBoxes(raw, anchors, decoding.scaleFactors ?? [10, 10, 5, 5]);
  };

  const detect = async (batch: TensorData): Promise<Record<string, TensorData>> => {
    const result = await predictor.predict({ [inputName]: batch }, key);
    const boxes = result[boxesOut];
    const scores = result[scoresOut];
    if (!boxes || !scores) throw new ModelportError(`the model returned no "${boxes ? scoresOut : boxesOut}" output`);
    const n = batch.shape[0]!;
    const count = boxes.shape[1]!;
    if (boxes.shape.length !== 3 || boxes.shape[2] !== 4 || boxes.shape[0] !== n) throw new ModelportError(`boxes output has shape [${boxes.shape.join(', ')}], expected [${n}, anchors, 4]`);
    const perClass = scores.shape.length === 3;
    const classesPerBox = perClass ? scores.shape[2]! : 1;
    const boxData = Float32Array.from(boxes.data as ArrayLike<number>);
    const scoreData = Float32Array.from(scores.data as ArrayLike<number>);
    const classData = classesOut && result[classesOut] ? Float32Array.from(result[classesOut]!.data as ArrayLike<number>) : undefined;
    const out = {
      boxes: new Float32Array(n * max * 4), scores: new Float32Array(n * max), classes: new Float32Array(n * max),
      num: new Float32Array(n), names: labels ? new Array<string>(n * max).fill('') : undefined,
    };
    for (let b = 0; b < n; b++) {
      const decoded = decodeBoxes(boxData.subarray(b * count * 4, (b + 1) * count * 4));
      const candidates: Candidate[] = [];
      for (let i = 0; i < count; i++) {
        if (perClass) {
          const row = classScores(scoreData.subarray((b * count + i) * classesPerBox, (b * count + i + 1) * classesPerBox), options.scoreActivation ?? 'none', options.backgroundClass ?? false);
          row.forEach((score, cls) => { if (score >= nms.scoreThreshold) candidates.push({ box: i, cls, score }); });
        } else {
          const raw = scoreData[b * count + i]!;
          const score = options.scoreActivation === 'sigmoid' ? sigmoid(raw) : raw;
          candidates.push({ box: i, cls: classData ? Math.round(classData[b * count + i]!) : 0, score });
        }
      }
      const kept = nonMaxSuppression(decoded, candidates, nms);
      kept.forEach((c, k) => {
        const at = b * max + k;
        for (let j = 0; j < 4; j++) out.boxes[at * 4 + j] = Math.min(1, Math.max(0, decoded[c.box * 4 + j]!));
        out.scores[at] = c.score;
        out.classes[at] = c.cls + (options.classIdOffset ?? 1);
        if (out.names) out.names[at] = labels![c.cls] ?? String(c.cls);
      });
      out.num[b] = kept.length;
    }
    return {
      detection_boxes: { dtype: 'float32', shape: [n, max, 4], data: out.boxes },
      detection_scores: { dtype: 'float32', shape: [n, max], data: out.scores },
      detection_classes: { dtype: 'float32', shape: [n, max], data: out.classes },
      num_detections: { dtype: 'float32', shape: [n], data: out.num },
      ...(out.names ? { detection_class_names: { dtype: 'string', shape: [n, max], data: out.names } } : {}),
    };
  };

  const maxPixels = options.maxImagePixels ?? DEFAULT_MAX_PIXELS;
  return {
    format: predictor.format,
    signatures,
    async predict(inputs, signature = BYTES_SIGNATURE) {
      if (signature === PIXELS_SIGNATURE) {
        if (!inputs.images) throw new InvalidInputError('input "images" is missing');
        return detect(await pixelsToBatch(inputs.images, geometry, normalization));
      }
      if (signature !== BYTES_SIGNATURE) throw new InvalidInputError(`no signature "${signature}"; use ${BYTES_SIGNATURE} or ${PIXELS_SIGNATURE}`);
      const encoded = inputs.image_bytes;
      if (!encoded || encoded.dtype !== 'string' || encoded.data.length === 0) throw new InvalidInputError('input "image_bytes" (JPEG/PNG bytes) is missing or empty');
      const images = (encoded.data as readonly (string | Uint8Array)[]).map((e, i) => decodeImage(imageBytes(e, `image ${i}`), { maxPixels, where: `image ${i}` }));
      return detect(await imagesToBatch(images, geometry, normalization));
    },
    dispose: () => predictor.dispose(),
  };
}
