import { InvalidInputError, ModelportError, resolveWith, type AdapterContext, type Predictor, type Signature, type TensorData } from '@modelport/core';
import {
  DEFAULT_MAX_PIXELS, decodeImage, imageBytes, imageGeometry, imagesToBatch, pickTensor, pixelsToBatch, readLabels, type Normalization,
} from '@modelport/images';
import type { ImageClassificationOptions } from './options.js';
import { signatureOf } from './signature.js';
import { topK } from './top-k.js';

/** The signature clients call with encoded images, and the one with pixel tensors. */
export const BYTES_SIGNATURE = 'serving_default';
export const PIXELS_SIGNATURE = 'serving_images';

/**
 * Wraps an image classifier: JPEG/PNG bytes (`image_bytes`, a string tensor [n]) or pixel tensors
 * (`images`, [n, h, w, c] with values 0–255, any size) in; decoded, resized to the model's size,
 * normalised, run; the top-k `classes`, `scores` and (with labels) `labels` out, best first.
 */
export function wrapImageClassifier(predictor: Predictor, options: ImageClassificationOptions = {}, context?: AdapterContext): Predictor {
  const key = options.signature ?? 'serving_default';
  const sig = signatureOf(predictor.signatures, key);
  const [inputName, input] = pickTensor(sig.inputs, options.input, 'input');
  const [outputName, output] = pickTensor(sig.outputs, options.output, 'output');
  const geometry = imageGeometry(input, options.size, options.channels);
  const normalization: Normalization = { scale: options.scale ?? 'unit', ...(options.mean ? { mean: options.mean } : {}), ...(options.std ? { std: options.std } : {}) };
  for (const [k, v] of [['mean', options.mean], ['std', options.std]] as const) {
    if (v && v.length !== 1 && v.length !== geometry.channels) throw new ModelportError(`"${k}" has ${v.length} values for ${geometry.channels} channels`);
  }
  const labels = readLabels(options.labels, resolveWith(context));
  const offset = options.labelOffset ?? 0;
  const classCount = output.shape && output.shape.length > 1 && output.shape.slice(1).every((d) => d > 0) ? output.shape.slice(1).reduce((a, b) => a * b, 1) : -1;
  const k = classCount > 0 ? Math.min(options.topK ?? 5, classCount) : -1;
  const maxPixels = options.maxImagePixels ?? DEFAULT_MAX_PIXELS;

  const outputs: Signature['outputs'] = {
    classes: { name: 'classes:0', dtype: 'int32', shape: [-1, k] },
    scores: { name: 'scores:0', dtype: 'float32', shape: [-1, k] },
    ...(labels ? { labels: { name: 'labels:0', dtype: 'string', shape: [-1, k] } } : {}),
  };
  const signatures: Record<string, Signature> = {
    [BYTES_SIGNATURE]: { inputs: { image_bytes: { name: 'image_bytes:0', dtype: 'string', shape: [-1] } }, outputs, methodName: 'tensorflow/serving/predict' },
    [PIXELS_SIGNATURE]: { inputs: { images: { name: 'images:0', dtype: 'float32', shape: [-1, -1, -1, geometry.channels] } }, outputs, methodName: 'tensorflow/serving/predict' },
  };

  const classify = async (batch: TensorData): Promise<Record<string, TensorData>> => {
    const scores = (await predictor.predict({ [inputName]: batch }, key))[outputName];
    if (!scores) throw new ModelportError(`the model returned no output "${outputName}"`);
    const best = topK(scores, options.topK ?? 5, options.softmax ?? false);
    const n = batch.shape[0]!;
    const result: Record<string, TensorData> = {
      classes: { dtype: 'int32', shape: [n, best.k], data: best.classes },
      scores: { dtype: 'float32', shape: [n, best.k], data: best.scores },
    };
    if (labels) result.labels = { dtype: 'string', shape: [n, best.k], data: Array.from(best.classes, (c) => labels[c + offset] ?? String(c)) };
    return result;
  };

  return {
    format: predictor.format,
    signatures,
    async predict(inputs, signature = BYTES_SIGNATURE) {
      if (signature === PIXELS_SIGNATURE) {
        const images = inputs.images;
        if (!images) throw new InvalidInputError('input "images" is missing');
        return classify(await pixelsToBatch(images, geometry, normalization));
      }
      if (signature !== BYTES_SIGNATURE) throw new InvalidInputError(`no signature "${signature}"; use ${BYTES_SIGNATURE} or ${PIXELS_SIGNATURE}`);
      const encoded = inputs.image_bytes;
      if (!encoded || encoded.dtype !== 'string') throw new InvalidInputError('input "image_bytes" (a string tensor of JPEG/PNG bytes) is missing');
      const elements = encoded.data as readonly (string | Uint8Array)[];
      if (elements.length === 0) throw new InvalidInputError('input "image_bytes" has no images');
      const decoded = elements.map((e, i) => decodeImage(imageBytes(e, `image ${i}`), { maxPixels, where: `image ${i}` }));
      return classify(await imagesToBatch(decoded, geometry, normalization));
    },
    dispose: () => predictor.dispose(),
  };
}
