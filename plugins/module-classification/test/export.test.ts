import { expect } from 'chai';
import { composeSignatures, GraphExecutor, silentLogger, validateOptions, type Predictor, type TensorData } from '@modelport/core';
import exporterOnnx from '@modelport/exporter-onnx';
import exporterTflite from '@modelport/exporter-tflite';
import runtimeOnnx, { loadOnnxPredictor, optionsSchema as onnxRuntimeSchema, type OnnxRuntimeOptions } from '@modelport/runtime-onnx';
import runtimeTflite, { loadTflitePredictor } from '@modelport/runtime-tflite';
import { runPipeline, type PipelineRun } from '@modelport/testing';
import moduleClassification, { classificationModule, PLUGIN_NAME } from '../src/index.js';
import { EMOTION_INPUT, EMOTION_LABELS, EMOTION_MODEL, emotionGraph, photoBatch, PHOTOS, row } from './emotion.js';

const request = {
  signatures: { serving_default: ['classification'] },
  moduleOptions: { classification: { topK: 5, softmax: true, labels: EMOTION_LABELS } },
};

/** Each photo alone (TFLite pins the batch to 1), its outputs concatenated in photo order. */
async function predictEach(predictor: Predictor, batch: TensorData): Promise<{ classes: number[]; scores: number[] }> {
  const classes: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < PHOTOS.length; i++) {
    const out = await predictor.predict({ [EMOTION_INPUT]: row(batch, i) });
    classes.push(...Array.from(out.classes!.data as ArrayLike<number>, Number));
    scores.push(...Array.from(out.scores!.data as ArrayLike<number>, Number));
  }
  return { classes, scores };
}

describe('module-classification: exported to tflite and onnx', function () {
  this.timeout(300_000);
  let run: PipelineRun;
  let batch: TensorData;
  let expected: { classes: number[]; scores: number[] };
  before(async () => {
    batch = await photoBatch();
    run = await runPipeline({
      fixture: EMOTION_MODEL,
      plugins: [moduleClassification, exporterTflite, exporterOnnx, runtimeTflite, runtimeOnnx],
      targets: ['tflite', 'onnx'],
      // The artifacts are checked below against the composed tfjs graph, by the module's outputs.
      validate: false,
      options: { ...request, sourceSignature: false },
    });
    const graph = composeSignatures(await emotionGraph(), request, [{ plugin: PLUGIN_NAME, value: classificationModule }]);
    const exec = await GraphExecutor.create(graph);
    try {
      const out = await exec.runSignature(graph.signatures.serving_default!, { [EMOTION_INPUT]: batch });
      expected = { classes: Array.from(out.classes!.data as Int32Array), scores: Array.from(out.scores!.data as Float32Array) };
    } finally {
      exec.dispose();
    }
  });

  it('writes the classification signature alone, its labels in export.json', async () => {
    expect(Object.keys(run.graph.signatures)).to.deep.equal(['serving_default']);
    const record = JSON.parse(await run.read('export.json')) as { signatures: Record<string, { outputs: object; moduleMetadata?: unknown }> };
    expect(Object.keys(record.signatures)).to.deep.equal(['serving_default']);
    const signature = record.signatures.serving_default!;
    expect(Object.keys(signature.outputs)).to.deep.equal(['logits', 'probs', 'classes', 'scores']);
    expect(signature.moduleMetadata).to.deep.equal({ classification: { labels: EMOTION_LABELS, labelOffset: 0 } });
  });

  for (const [target, load] of [
    ['tflite', (file: string) => loadTflitePredictor(file, silentLogger)],
    ['onnx', (file: string) => loadOnnxPredictor(file, silentLogger, validateOptions<OnnxRuntimeOptions>(onnxRuntimeSchema!, {}, 'onnx runtime options'))],
  ] as const) {
    it(`gives the classes and scores of the tfjs graph in ${target}`, async () => {
      const predictor = await load(run.file(target));
      try {
        const got = await predictEach(predictor, batch);
        expect(got.classes).to.deep.equal(expected.classes);
        got.scores.forEach((s, i) => expect(Math.abs(s - expected.scores[i]!), `score ${i}: ${s} vs ${expected.scores[i]}`).to.be.at.most(1e-5));
      } finally {
        await predictor.dispose();
      }
    });
  }
});
