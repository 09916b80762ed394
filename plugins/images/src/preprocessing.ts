import * as tf from '@tensorflow/tfjs';
import { fromTfTensor, initBackend, type TensorData } from '@modelport/core';
import type { DecodedImage } from './decode.js';
import { InvalidInputError } from '@modelport/core';

/** How pixel values (0–255) become model inputs. */
export interface Normalization {
  /** unit: [0, 1]; symmetric: [-1, 1]; raw: 0–255. */
  readonly scale: 'unit' | 'symmetric' | 'raw';
  /** Per channel, subtracted after scaling, then divided by std (ImageNet: mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225] with unit). */
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

export interface ImageGeometry {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
}

/** An image as a float tensor [h, w, channels]: alpha dropped, grey as ITU-R 601 luma. */
function pixels(img: DecodedImage, channels: 1 | 3): tf.Tensor3D {
  const rgba = tf.tensor3d(Int32Array.from(img.rgba), [img.height, img.width, 4], 'int32').toFloat();
  const rgb = rgba.slice([0, 0, 0], [img.height, img.width, 3]);
  return channels === 3 ? rgb : rgb.mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(2, true);
}

function normalize(x: tf.Tensor4D, n: Normalization): tf.Tensor4D {
  let y = n.scale === 'unit' ? x.div(255) : n.scale === 'symmetric' ? x.div(127.5).sub(1) : x;
  if (n.mean) y = y.sub(tf.tensor1d([...n.mean]));
  if (n.std) y = y.div(tf.tensor1d([...n.std]));
  return y as tf.Tensor4D;
}

/**
 * Resizes images to the model's size (bilinear with half-pixel centres, as TF2's tf.image.resize)
 * and normalises them into one batch [n, height, width, channels] of float32.
 */
export async function imagesToBatch(images: readonly DecodedImage[], geometry: ImageGeometry, n: Normalization): Promise<TensorData> {
  await initBackend();
  const batch = tf.tidy(() => {
    const resized = images.map((img) => tf.image.resizeBilinear(pixels(img, geometry.channels), [geometry.height, geometry.width], false, true));
    return normalize(tf.stack(resized) as tf.Tensor4D, n);
  });
  try {
    return await fromTfTensor(batch);
  } finally {
    batch.dispose();
  }
}

/** A batch of pixel tensors [n, h, w, c] (values 0–255, any size) resized and normalised like decoded images. */
export async function pixelsToBatch(t: TensorData, geometry: ImageGeometry, n: Normalization): Promise<TensorData> {
  if (t.shape.length !== 4 || t.shape[3] !== geometry.channels) {
    throw new InvalidInputError(`images must have shape [n, height, width, ${geometry.channels}], got [${t.shape.join(', ')}]`);
  }
  await initBackend();
  const batch = tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(t.data as ArrayLike<number>), t.shape as [number, number, number, number]);
    return normalize(tf.image.resizeBilinear(x, [geometry.height, geometry.width], false, true), n);
  });
  try {
    return await fromTfTensor(batch);
  } finally {
    batch.dispose();
  }
}
