import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TensorData } from '@modelport/core';
import exporterOnnx from '@modelport/exporter-onnx';
import { decodeImage, imagesToBatch } from '@modelport/images';
import runtimeOnnx from '@modelport/runtime-onnx';
import { runPipeline, runSource, serveArtifact } from '@modelport/testing';
import { CORPUS_DIR, REPO_ROOT } from '../support/paths.js';
import { POSENET_KEYPOINTS, posenetKeypointsPlugin } from './posenet-keypoints.js';

const HEATMAPS = 'MobilenetV1/heatmap_2/BiasAdd:0';
const OFFSETS = 'MobilenetV1/offset_2/BiasAdd:0';
const INPUT_SIZE = 385;

/** The decode written out in TypeScript on the raw maps: the first best cell of each heatmap, plus its offset. */
function referenceDecode(heatmaps: TensorData, offsets: TensorData): { keypoints: number[][]; scores: number[] } {
  const [, h, w, k] = heatmaps.shape as number[];
  const heat = heatmaps.data as Float32Array;
  const off = offsets.data as Float32Array;
  const stride = (INPUT_SIZE - 1) / (h! - 1);
  const keypoints: number[][] = [];
  const scores: number[] = [];
  for (let p = 0; p < k!; p++) {
    let best = 0;
    for (let c = 1; c < h! * w!; c++) if (heat[c * k! + p]! > heat[best * k! + p]!) best = c;
    const [row, col] = [Math.floor(best / w!), best % w!];
    keypoints.push([
      (row * stride + off[best * 2 * k! + p]!) / INPUT_SIZE,
      (col * stride + off[best * 2 * k! + k! + p]!) / INPUT_SIZE,
    ]);
    scores.push(1 / (1 + Math.exp(-heat[best * k! + p]!)));
  }
  return { keypoints, scores };
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number, what: string): void {
  expect(actual.length, what).to.equal(expected.length);
  const worst = Math.max(...expected.map((e, i) => Math.abs(actual[i]! - e)));
  expect(worst, `${what}: largest |Δ|`).to.be.below(tolerance);
}

describe('docs/export-modules.md: a PoseNet keypoint decoder registered in code', function () {
  this.timeout(300_000);

  it('exports posenet to tfjs and ONNX with the decoder built in, matching a TypeScript decode of the raw maps on a real photo', async () => {
    const run = await runPipeline({
      fixture: path.join(CORPUS_DIR, 'posenet.json'),
      plugins: [posenetKeypointsPlugin, exporterOnnx, runtimeOnnx],
      targets: ['tfjs', 'onnx'],
      // The model's own signature stays, as "source": serving_default is taken by the keypoints.
      options: { signatures: { serving_default: ['posenet-keypoints'] } },
    });
    expect(Object.keys(run.graph.signatures)).to.have.members(['serving_default', 'source']);
    // Validation ran every signature of both artifacts against the composed source graph in tfjs.
    for (const target of ['tfjs', 'onnx']) expect(Object.keys(run.artifact(target).validation?.signatures ?? {})).to.have.members(['serving_default', 'source']);
    expect(run.graph.signatures.serving_default!.moduleMetadata!['posenet-keypoints']).to.include({ layout: 'y, x as fractions of the input height and width' });

    const photo = decodeImage(new Uint8Array(await fs.readFile(path.join(REPO_ROOT, '.test-data', 'skimage', 'astronaut.png'))));
    const image = await imagesToBatch([photo], { height: INPUT_SIZE, width: INPUT_SIZE, channels: 3 }, { scale: 'symmetric' });
    const inputKey = Object.keys(run.graph.signatures.serving_default!.inputs)[0]!;
    const raw = await runSource(run.graph, { [inputKey]: image }, 'source');
    const reference = referenceDecode(raw[HEATMAPS]!, raw[OFFSETS]!);
    // The photo is a head-and-shoulders portrait: the face is found with confidence, the legs are
    // out of frame; the person faces us, so their left eye is right of their right eye in the image.
    const at = (name: string) => POSENET_KEYPOINTS.indexOf(name);
    for (const part of ['nose', 'leftEye', 'rightEye', 'leftEar', 'rightEar']) expect(reference.scores[at(part)], part).to.be.above(0.9);
    for (const part of ['leftAnkle', 'rightAnkle']) expect(reference.scores[at(part)], part).to.be.below(0.5);
    expect(reference.keypoints[at('leftEye')]![1]).to.be.above(reference.keypoints[at('rightEye')]![1]!);
    expect(reference.keypoints[at('nose')]![0]).to.be.below(reference.keypoints[at('leftShoulder')]![0]!);

    for (const [target, plugins] of [['tfjs', []], ['onnx', [runtimeOnnx]]] as const) {
      const predictor = await serveArtifact({ plugins, format: target, path: run.file(target) });
      try {
        const decoded = await predictor.predict({ [inputKey]: image }, 'serving_default');
        expect(decoded.keypoints!.shape, target).to.deep.equal([1, POSENET_KEYPOINTS.length, 2]);
        expectClose(decoded.keypoints!.data as Float32Array, reference.keypoints.flat(), 1e-4, `keypoints (${target})`);
        expectClose(decoded.scores!.data as Float32Array, reference.scores, 1e-4, `scores (${target})`);
      } finally {
        await predictor.dispose();
      }
    }
  });

  it('is quoted in docs/export-modules.md exactly as it runs, module and test', async () => {
    const doc = await fs.readFile(path.join(REPO_ROOT, 'docs', 'export-modules.md'), 'utf8');
    // The page fences these files with four backticks; written out here they would end the quote early.
    const fence = '\u0060'.repeat(4);
    const blocks = doc.split(`${fence}ts\n`).slice(1).map((block) => block.slice(0, block.indexOf(fence)));
    for (const file of ['posenet-keypoints.ts', 'posenet-keypoints.test.ts']) {
      expect(blocks, file).to.include(await fs.readFile(path.join(REPO_ROOT, 'test', 'e2e', file), 'utf8'));
    }
  });
});
