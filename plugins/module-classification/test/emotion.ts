import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { graphFromTfjsModelFiles, readTfjsModelFiles, type Graph, type TensorData } from '@modelport/core';
import { decodeImage, imagesToBatch } from '@modelport/images';

/** oarriaga/face_classification's emotion model (human-models): grey 64×64 in [0, 1], 7 softmax scores out. */
export const EMOTION_MODEL = fileURLToPath(new URL('../../../../.corpus/models/emotion.json', import.meta.url));
export const EMOTION_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
export const EMOTION_INPUT = 'input_1';

const SKIMAGE = fileURLToPath(new URL('../../../../.test-data/skimage/', import.meta.url));
export const PHOTOS = ['astronaut.png', 'camera.png', 'chelsea.png', 'coffee.png', 'horse.png'];

export async function emotionGraph(): Promise<Graph> {
  return graphFromTfjsModelFiles(await readTfjsModelFiles(EMOTION_MODEL));
}

/** The photos decoded and preprocessed as the image-classification adapter does for this model. */
export async function photoBatch(names: readonly string[] = PHOTOS): Promise<TensorData> {
  const images = await Promise.all(names.map(async (n) => decodeImage(new Uint8Array(await fs.readFile(SKIMAGE + n)))));
  return imagesToBatch(images, { height: 64, width: 64, channels: 1 }, { scale: 'unit' });
}

/** Row `i` of a [n, …] batch as a batch of one. */
export function row(t: TensorData, i: number): TensorData {
  const size = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return { dtype: t.dtype, shape: [1, ...t.shape.slice(1)], data: (t.data as Float32Array).slice(i * size, (i + 1) * size) };
}
