import { BYTES_SIGNATURE, wrapDetector } from '@modelport/adapter-detection';
import type { Graph, TensorData } from '@modelport/core';
import { decodeImage, imageGeometry, imagesToBatch } from '@modelport/images';
import { graphPredictor, photo } from './fixtures.js';

/** BlazeFace (MediaPipe's 256 model): boxes and scores split over two feature maps, 6 keypoints, 896 fixed-size anchors. */
export const BLAZEFACE_OPTIONS = {
  outputs: { boxes: ['Identity_2', 'Identity_3'], scores: ['Identity', 'Identity_1'] },
  boxes: {
    decode: 'anchors', coder: 'mediapipe', scaleFactors: [256, 256, 256, 256], keypoints: 6,
    anchors: { featureMapSizes: [[16, 16], [8, 8]], scales: [1, 1], anchorsPerCell: [2, 6] },
  },
  scoreActivation: 'sigmoid', scoreThreshold: 0.5, iouThreshold: 0.3, maxDetections: 10, classIdOffset: 0,
  scale: 'symmetric',
} as const;

export const PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'camera.png'];

/** The photo as the model's input, preprocessed as the adapter does. */
export async function modelInput(graph: Graph, name: string): Promise<TensorData> {
  const geometry = imageGeometry(graph.signatures.serving_default!.inputs.input!, undefined, undefined);
  return imagesToBatch([decodeImage(photo(name))], geometry, { scale: 'symmetric' });
}

/** The adapter over the raw model, on the photo's bytes. */
export async function adapterDetections(graph: Graph, name: string): Promise<Record<string, TensorData>> {
  const detector = wrapDetector(await graphPredictor(graph), BLAZEFACE_OPTIONS as never);
  try {
    return await detector.predict({ image_bytes: { dtype: 'string', shape: [1], data: [photo(name)] as never } }, BYTES_SIGNATURE);
  } finally {
    await detector.dispose();
  }
}
