import { expect } from 'chai';
import { composeSignatures, GraphExecutor, silentLogger, validateOptions, type Predictor, type TensorData } from '@modelport/core';
import exporterOnnx from '@modelport/exporter-onnx';
import exporterTflite from '@modelport/exporter-tflite';
import runtimeOnnx, { loadOnnxPredictor, optionsSchema as onnxRuntimeSchema, type OnnxRuntimeOptions } from '@modelport/runtime-onnx';
import runtimeTflite, { loadTflitePredictor } from '@modelport/runtime-tflite';
import { runPipeline, type PipelineRun } from '@modelport/testing';
import moduleClassification, { classificationModule, PLUGIN_NAME } from '../src/index.js';
import { EMOTION_INPUT, EMOTION_LABELS, EMOTION_MODEL, emotionGraph, photoBatch, PHOTOS, row } from './emotion.js';

const SIGNATURES = ['serving_default', 'scores_as_given'] as const;
const request = {
  signatures: { serving_default: ['classification'], scores_as_given: ['classification'] },
  moduleOptions: {
    classification: { topK: 5, softmax: true, labels: EMOTION_LABELS },
    // The model's own softmax scores ranked as they are: probs and logits are then one tensor.
    'scores_as_given/classification': { topK: 3, activation: 'none' },
  },
};

type Outputs = Record<string, number[]>;
const numbers = (t: TensorData | undefined): number[] => Array.from(t!.data as ArrayLike<number>, Number);

/** Each photo alone (TFLite pins the batch to 1), each output concatenated in photo order. */
async function predictEach(predictor: Predictor, batch: TensorData, signature: string): Promise<Outputs> {
  const all: Outputs = {};
  for (let i = 0; i < PHOTOS.length; i++) {
    const out = await predictor.predict({ [EMOTION_INPUT]: row(batch, i) }, signature);
    for (const [k, t] of Object.entries(out)) (all[k] ??= []).push(...numbers(t));
  }
  return all;
}

function expectClose(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length, what).to.equal(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `${what}[${i}]: ${v} vs ${expected[i]}`).to.be.at.most(1e-5));
}

describe('module-classification: exported to tflite and onnx', function () {
  this.timeout(300_000);
  let run: PipelineRun;
  let batch: TensorData;
  const expected: Record<string, Outputs> = {};
  before(async () => {
    batch = await photoBatch();
    run = await runPipeline({
      fixture: EMOTION_MODEL,
      plugins: [moduleClassification, exporterTflite, exporterOnnx, runtimeTflite, runtimeOnnx],
      targets: ['tflite', 'onnx'],
      options: { ...request, sourceSignature: false },
    });
    const graph = composeSignatures(await emotionGraph(), request, [{ plugin: PLUGIN_NAME, value: classificationModule }]);
    const exec = await GraphExecutor.create(graph);
    try {
      for (const key of SIGNATURES) {
        const out = await exec.runSignature(graph.signatures[key]!, { [EMOTION_INPUT]: batch });
        expected[key] = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, numbers(t)]));
      }
    } finally {
      exec.dispose();
    }
  });

  it('writes the classification signatures alone, the labels in export.json', async () => {
    expect(Object.keys(run.graph.signatures)).to.deep.equal([...SIGNATURES]);
    const record = JSON.parse(await run.read('export.json')) as { signatures: Record<string, { outputs: object; moduleMetadata?: unknown }> };
    expect(Object.keys(record.signatures)).to.deep.equal([...SIGNATURES]);
    const signature = record.signatures.serving_default!;
    expect(Object.keys(signature.outputs)).to.deep.equal(['logits', 'probs', 'classes', 'scores']);
    expect(signature.moduleMetadata).to.deep.equal({ classification: { labels: EMOTION_LABELS, labelOffset: 0 } });
    expect(record.signatures.scores_as_given!.moduleMetadata).to.equal(undefined);
  });

  // model.onnx holds serving_default; TFLite keeps every signature in one file.
  for (const [target, keys, load] of [
    ['tflite', SIGNATURES, (file: string) => loadTflitePredictor(file, silentLogger)],
    ['onnx', ['serving_default'], (file: string) => loadOnnxPredictor(file, silentLogger, validateOptions<OnnxRuntimeOptions>(onnxRuntimeSchema!, {}, 'onnx runtime options'))],
  ] as const) {
    it(`gives the classes, scores, probs and logits of the tfjs graph in ${target} (${keys.join(', ')})`, async () => {
      const predictor = await load(run.file(target));
      try {
        for (const key of keys) {
          const got = await predictEach(predictor, batch, key);
          expect(Object.keys(got), key).to.have.members(['logits', 'probs', 'classes', 'scores']);
          expect(got.classes, `${key} classes`).to.deep.equal(expected[key]!.classes);
          for (const k of ['scores', 'probs', 'logits']) expectClose(got[k]!, expected[key]![k]!, `${key} ${k}`);
        }
      } finally {
        await predictor.dispose();
      }
    });
  }
});
