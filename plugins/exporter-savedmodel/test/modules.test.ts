import { expect } from 'chai';
import { compareTensors, GraphExecutor, type Graph, type TensorData } from '@modelport/core';
import { moduleClassification } from '@modelport/module-classification';
import { detection } from '@modelport/module-detection';
import { moduleImage } from '@modelport/module-image';
import { runPipeline } from '@modelport/testing';
import { exporterSavedModel } from '../src/index.js';
import { corpusFile } from './support/corpus.js';
import { readSavedModel } from '@modelport/savedmodel';
import { signatureFeeds } from './support/signature-feeds.js';

async function runSignature(graph: Graph, key: string, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const exec = await GraphExecutor.create(graph);
  try { return await exec.runSignature(graph.signatures[key]!, feeds); } finally { exec.dispose(); }
}

/** Each signature of the export, read back from saved_model.pb, against the composed graph on the same inputs. */
async function expectSignaturesRoundTrip(run: Awaited<ReturnType<typeof runPipeline>>): Promise<string[]> {
  const { graph: back } = await readSavedModel(run.file('savedmodel'));
  const keys = Object.keys(run.graph.signatures);
  expect(Object.keys(back.signatures).sort()).to.deep.equal([...keys].sort());
  for (const key of keys) {
    const feeds = signatureFeeds('', run.graph.signatures[key]!);
    const [want, got] = [await runSignature(run.graph, key, feeds), await runSignature(back, key, feeds)];
    for (const [name, w] of Object.entries(want)) {
      const c = compareTensors(name, got[name]!, w, 1e-5);
      expect(c.ok, `${key} ${name}: ${c.problem}`).to.equal(true);
    }
  }
  return keys;
}

describe('exporter-savedmodel with the export modules (image, detection, classification)', () => {
  it('BlazeFace with the image and detection modules: every op of theirs is TensorFlow\'s, each signature round trips', async () => {
    const run = await runPipeline({
      fixture: corpusFile('blazeface'), plugins: [moduleImage, detection, exporterSavedModel], targets: ['savedmodel'], validate: false,
      options: {
        signatures: { serving_default: ['image', 'detection'] },
        moduleOptions: {
          image: { scale: 'symmetric', inputSize: [120, 160] },
          detection: {
            outputs: { boxes: ['Identity_2', 'Identity_3'], scores: ['Identity', 'Identity_1'] },
            boxes: { decode: 'anchors', coder: 'mediapipe', scaleFactors: [256, 256, 256, 256], keypoints: 6, anchors: { featureMapSizes: [[16, 16], [8, 8]], scales: [1, 1], anchorsPerCell: [2, 6] } },
            scoreActivation: 'sigmoid', scoreThreshold: 0.5, iouThreshold: 0.3, maxDetections: 10, classIdOffset: 0,
          },
        },
      },
    });
    expect(await expectSignaturesRoundTrip(run)).to.have.members(['serving_default', 'source']);
    const ops = (run.artifact('savedmodel').details as { ops: string[] }).ops;
    expect(ops).to.include.members(['NonMaxSuppressionV5', 'ResizeBilinear']);
  });

  it('a classifier with the classification module: labels written as assets/labels.txt', async () => {
    const run = await runPipeline({
      fixture: corpusFile('emotion'), plugins: [moduleClassification, exporterSavedModel], targets: ['savedmodel'], validate: false,
      options: {
        signatures: { serving_default: ['classification'] },
        moduleOptions: { classification: { topK: 3, labels: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] } },
      },
    });
    await expectSignaturesRoundTrip(run);
    expect(run.artifact('savedmodel').files).to.include('assets/labels.txt');
    expect(await run.read('assets/labels.txt')).to.equal('angry\ndisgust\nfear\nhappy\nsad\nsurprise\nneutral\n');
  });
});
