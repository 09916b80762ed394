import { InvalidInputError, ModelportError, type Predictor, type Signature, type SignatureTensor, type TensorData } from '@modelport/core';
import {
  DEFAULT_MAX_PIXELS, decodeImage, imageBytes, imageGeometry, imagesToBatch, pickTensor, pixelsToBatch, readLabels, type Normalization,
} from '@modelport/images';
import { loadAnchors, type Anchors } from './anchors.js';
import { directBoxes } from './box-coding.js';
import { decodeRows, DEFAULT_SCALE_FACTORS, type DecodedRows } from './box-coders.js';
import { nonMaxSuppression, type Candidate } from './nms.js';
import type { DetectionOptions } from './options.js';
import { resolveWith, type AdapterContext } from '@modelport/core';

export const BYTES_SIGNATURE = 'serving_default';
export const PIXELS_SIGNATURE = 'serving_images';

/** The model's outputs that hold `what`: the configured names, else the one whose name says so. */
function outputsFor(outputs: Readonly<Record<string, SignatureTensor>>, configured: string | readonly string[] | undefined, pattern: RegExp, what: string, required: boolean): string[] {
  if (configured) return (typeof configured === 'string' ? [configured] : [...configured]).map((name) => pickTensor(outputs, name, 'output')[0]);
  const found = Object.keys(outputs).filter((n) => pattern.test(n));
  if (found.length === 1) return found;
  if (!required) return [];
  throw new ModelportError(`cannot tell which output holds the ${what} (${Object.keys(outputs).join(', ')}): set "outputs": { "${what}": … } in the adapter options`);
}

/** Outputs [n, anchors_i, …] joined along the anchor axis, in the order given. */
function joinAnchors(result: Readonly<Record<string, TensorData>>, names: readonly string[]): TensorData {
  const parts = names.map((name) => result[name] ?? (() => { throw new ModelportError(`the model returned no "${name}" output`); })());
  if (parts.length === 1) return parts[0]!;
  const [n, ...rest] = parts[0]!.shape;
  const tail = rest.slice(1).reduce((a, b) => a * b, 1);
  for (const p of parts) {
    if (p.shape.length !== parts[0]!.shape.length || p.shape[0] !== n || p.shape.slice(2).join() !== rest.slice(1).join()) {
      throw new ModelportError(`outputs ${names.join(', ')} cannot be joined along the anchor axis: shapes ${parts.map((q) => `[${q.shape.join(', ')}]`).join(', ')}`);
    }
  }
  const anchors = parts.reduce((a, p) => a + p.shape[1]!, 0);
  const data = new Float32Array(n! * anchors * tail);
  let at = 0;
  for (let b = 0; b < n!; b++) {
    for (const p of parts) {
      const size = p.shape[1]! * tail;
      data.set(Array.from(p.data as ArrayLike<number>).slice(b * size, (b + 1) * size), at);
      at += size;
    }
  }
  return { dtype: 'float32', shape: [n!, anchors, ...rest.slice(1)], data };
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
  const boxesOut = outputsFor(sig.outputs, options.outputs?.boxes, /box/i, 'boxes', true);
  const scoresOut = outputsFor(sig.outputs, options.outputs?.scores, /score|logit|class_pred/i, 'scores', true);
  const classesOut = outputsFor(sig.outputs, options.outputs?.classes, /^(?!.*score).*class/i, 'classes', false)[0];
  const decoding = options.boxes ?? {};
  const keypoints = decoding.keypoints ?? 0;
  if (keypoints > 0 && decoding.decode !== 'anchors') throw new ModelportError('boxes.keypoints needs boxes.decode "anchors": keypoints are decoded against the anchors');
  const coder = decoding.coder ?? 'faster-rcnn';
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
    ...(keypoints > 0 ? { detection_keypoints: { name: 'detection_keypoints:0', dtype: 'float32', shape: [-1, max, keypoints, 2] } } : {}),
    ...(labels ? { detection_class_names: { name: 'detection_class_names:0', dtype: 'string', shape: [-1, max] } } : {}),
  };
  const signatures: Record<string, Signature> = {
    [BYTES_SIGNATURE]: { inputs: { image_bytes: { name: 'image_bytes:0', dtype: 'string', shape: [-1] } }, outputs, methodName: 'tensorflow/serving/predict' },
    [PIXELS_SIGNATURE]: { inputs: { images: { name: 'images:0', dtype: 'float32', shape: [-1, -1, -1, geometry.channels] } }, outputs, methodName: 'tensorflow/serving/predict' },
  };

  const decodeBoxes = (raw: Float32Array, columns: number): DecodedRows => {
    const count = raw.length / columns;
    if (!anchors) {
      const first4 = columns === 4 ? raw : Float32Array.from({ length: count * 4 }, (_, i) => raw[Math.floor(i / 4) * columns + (i % 4)]!);
      return { boxes: directBoxes(first4, decoding.format ?? 'yxyx', decoding.normalized ?? true, geometry.height, geometry.width), keypoints: new Float32Array(0) };
    }
    if (anchors.length !== count * 4) throw new ModelportError(`the model gives ${count} boxes but there are ${anchors.length / 4} anchors`);
    return decodeRows(raw, columns, anchors, coder, decoding.scaleFactors ?? DEFAULT_SCALE_FACTORS[coder], keypoints);
  };

  const detect = async (batch: TensorData): Promise<Record<string, TensorData>> => {
    const result = await predictor.predict({ [inputName]: batch }, key);
    const boxes = joinAnchors(result, boxesOut);
    const scores = joinAnchors(result, scoresOut);
    const n = batch.shape[0]!;
    const count = boxes.shape[1]!;
    const columns = 4 + 2 * keypoints;
    if (boxes.shape.length !== 3 || boxes.shape[2]! < columns || boxes.shape[0] !== n) throw new ModelportError(`boxes output has shape [${boxes.shape.join(', ')}], expected [${n}, anchors, ${columns === 4 ? '4 or more' : `${columns} or more (4 + 2 · keypoints)`}]`);
    if (scores.shape[1] !== count) throw new ModelportError(`the model gives ${count} boxes but ${scores.shape[1]} scores`);
    const width = boxes.shape[2]!;
    const perClass = scores.shape.length === 3;
    const classesPerBox = perClass ? scores.shape[2]! : 1;
    const boxData = Float32Array.from(boxes.data as ArrayLike<number>);
    const scoreData = Float32Array.from(scores.data as ArrayLike<number>);
    const classData = classesOut && result[classesOut] ? Float32Array.from(result[classesOut]!.data as ArrayLike<number>) : undefined;
    const out = {
      boxes: new Float32Array(n * max * 4), scores: new Float32Array(n * max), classes: new Float32Array(n * max),
      num: new Float32Array(n), points: new Float32Array(n * max * keypoints * 2), names: labels ? new Array<string>(n * max).fill('') : undefined,
    };
    for (let b = 0; b < n; b++) {
      const rows = decodeBoxes(boxData.subarray(b * count * width, (b + 1) * count * width), width);
      const decoded = rows.boxes;
      const candidates: Candidate[] = [];
      for (let i = 0; i < count; i++) {
        if (perClass) {
          const row = classScores(scoreData.subarray((b * count + i) * classesPerBox, (b * count + i + 1) * classesPerBox), options.scoreActivation ?? 'none', options.backgroundClass ?? false);
          row.forEach((score, cls) => { if (score > nms.scoreThreshold) candidates.push({ box: i, cls, score }); });
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
        out.points.set(rows.keypoints.subarray(c.box * keypoints * 2, (c.box + 1) * keypoints * 2), at * keypoints * 2);
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
      ...(keypoints > 0 ? { detection_keypoints: { dtype: 'float32', shape: [n, max, keypoints, 2], data: out.points } } : {}),
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
