import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compareTensors, GraphExecutor, type TensorData } from '@modelport/core';
import { decodeImage } from '@modelport/images';
import { describeTflite, runtimeTflite, tfliteDescriber } from '@modelport/runtime-tflite';
import { moduleSignaturePlugins, runPipeline, serveArtifact, smallImageClassifier } from '@modelport/testing';
import { exporterTflite } from '../src/index.js';
import { CORPUS_DIR, loadCorpusModel } from './corpus-models.js';

const PHOTO = path.resolve(CORPUS_DIR, '..', '..', '.test-data', 'skimage', 'astronaut.png');
const [HEIGHT, WIDTH] = [480, 640];

/** The 512×512 photo resampled (nearest) to HEIGHT×WIDTH RGB: the frame a camera would hand over. */
async function cameraFrame(): Promise<TensorData> {
  const image = decodeImage(new Uint8Array(await fs.readFile(PHOTO)));
  const data = new Uint8Array(HEIGHT * WIDTH * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const from = (Math.floor((y * image.height) / HEIGHT) * image.width + Math.floor((x * image.width) / WIDTH)) * 4;
      data.set(image.rgba.subarray(from, from + 3), (y * WIDTH + x) * 3);
    }
  }
  return { dtype: 'uint8', shape: [1, HEIGHT, WIDTH, 3], data };
}

function expectClose(key: string, actual: Record<string, TensorData>, expected: Record<string, TensorData>): void {
  expect(Object.keys(actual), `${key}: output order`).to.deep.equal(Object.keys(expected));
  for (const [name, t] of Object.entries(expected)) {
    const c = compareTensors(`${key}/${name}`, actual[name]!, t, 1e-4);
    expect(c.ok, `${c.output}: ${c.problem ?? `max |diff| ${c.maxAbsDiff} of max |ref| ${c.maxAbsRef}`}`).to.equal(true);
  }
}

describe('exporter-tflite: a composed graph, its signatures in one file', function () {
  this.timeout(300_000);

  it('holds the uint8 camera-frame signature and the model\'s own float one in one .tflite, both run in LiteRT.js as in tfjs on a photo', async function () {
    try { await fs.access(path.join(CORPUS_DIR, 'blazeface.json')); await fs.access(PHOTO); } catch { this.skip(); }
    const run = await runPipeline({
      graph: await loadCorpusModel('blazeface'), plugins: [...moduleSignaturePlugins, exporterTflite, runtimeTflite], targets: ['tflite'], validate: false,
      options: { signatures: { serving_default: ['pixels'] }, moduleOptions: { pixels: { height: HEIGHT, width: WIDTH } } },
    });
    expect(run.artifact('tflite').files).to.deep.equal([run.artifact('tflite').path]);
    const file = run.file('tflite');

    // Both signatures, their stages kept in the modelport metadata and shown by inspect.
    const described = describeTflite(new Uint8Array(await fs.readFile(file)), file);
    expect(Object.keys(described.signatures)).to.have.members(['serving_default', 'source']);
    expect(described.signatures.serving_default!.inputs.image).to.deep.include({ dtype: 'uint8', shape: [1, HEIGHT, WIDTH, 3] });
    expect(described.signatures.serving_default!.stages).to.deep.equal(['pixels', 'model']);
    expect(described.signatures.source!.stages).to.equal(undefined);
    expect((await tfliteDescriber.describe(file)).signatures.serving_default!.stages).to.deep.equal(['pixels', 'model']);

    const predictor = await serveArtifact({ plugins: [runtimeTflite], format: 'tflite', path: file });
    const exec = await GraphExecutor.create(run.graph);
    try {
      expect(predictor.signatures.serving_default!.stages).to.deep.equal(['pixels', 'model']);
      // Outputs in the order of Signature.outputs (blazeface's own order is not alphabetical).
      expect(Object.keys(predictor.signatures.serving_default!.outputs)).to.deep.equal(Object.keys(run.graph.signatures.serving_default!.outputs));
      const frame = { image: await cameraFrame() };
      expectClose('serving_default', await predictor.predict(frame, 'serving_default'), await exec.runSignature(run.graph.signatures.serving_default!, frame));
      // The model's own signature, fed what the camera signature feeds its copy of the model.
      const normalised = await exec.run({ [run.graph.signatures.serving_default!.inputs.image!.name.split(':')[0]!]: frame.image }, ['serving_default/pixels/normalised:0']);
      const own = { input: normalised[0]! };
      expectClose('source', await predictor.predict(own, 'source'), await exec.runSignature(run.graph.signatures.source!, own));
    } finally {
      exec.dispose();
      await predictor.dispose();
    }
  });

  it('keeps the output stage\'s outputs in signature order and its module metadata, and runs them as tfjs does', async () => {
    const run = await runPipeline({
      graph: smallImageClassifier(), plugins: [...moduleSignaturePlugins, exporterTflite, runtimeTflite], targets: ['tflite'], validate: false,
      options: { signatures: { serving_default: ['pixels', 'classes'] }, moduleOptions: { pixels: { height: 120, width: 160 } } },
    });
    const file = run.file('tflite');
    const described = describeTflite(new Uint8Array(await fs.readFile(file)), file);
    expect(described.signatures.serving_default!.moduleMetadata).to.deep.equal({ classes: { labels: ['a', 'b', 'c', 'd', 'e'] } });
    const predictor = await serveArtifact({ plugins: [runtimeTflite], format: 'tflite', path: file });
    const exec = await GraphExecutor.create(run.graph);
    try {
      expect(Object.keys(predictor.signatures.serving_default!.outputs)).to.deep.equal(['probabilities', 'class']);
      expect(predictor.signatures.serving_default!.moduleMetadata).to.deep.equal({ classes: { labels: ['a', 'b', 'c', 'd', 'e'] } });
      const image = (await cameraFrame()).data as Uint8Array;
      const frame = { image: { dtype: 'uint8', shape: [1, 120, 160, 3], data: image.subarray(0, 120 * 160 * 3) } as TensorData };
      expectClose('serving_default', await predictor.predict(frame, 'serving_default'), await exec.runSignature(run.graph.signatures.serving_default!, frame));
    } finally {
      exec.dispose();
      await predictor.dispose();
    }
  });
});
