import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { list } from 'tar';
import exporterSavedModel from '@modelport/exporter-savedmodel';
import exporterTfjs from '@modelport/exporter-tfjs';
import exporterTflite from '@modelport/exporter-tflite';
import runtimeSavedModel from '@modelport/runtime-savedmodel';
import runtimeTflite from '@modelport/runtime-tflite';
import { readSavedModel } from '@modelport/savedmodel';
import { moduleSignaturePlugins, runPipeline, serveArtifact, smallImageClassifier, tinyDenseGraph, type PipelineRun } from '@modelport/testing';
import { exporterTfhub } from '../src/index.js';
import { tfhubDevProblems } from './tfhub-dev-rules.js';

const SIDE = 16;

describe('exporter-tfhub: the full package with the SavedModel exporter', function () {
  this.timeout(120_000);
  let run: PipelineRun;
  before(async () => {
    run = await runPipeline({
      graph: smallImageClassifier(),
      plugins: [...moduleSignaturePlugins, exporterSavedModel, runtimeSavedModel, exporterTfjs, exporterTflite, runtimeTflite, exporterTfhub],
      targets: ['tfhub'],
      options: {
        signatures: { classify: ['pixels', 'classes'] }, moduleOptions: { pixels: { height: SIDE, width: SIDE } },
        targetOptions: { tfhub: { tflite: true, publisher: 'acme', modelName: 'tiny' } },
      },
    });
  });

  it('validates all three variants against the source, every signature, in their own runtimes', () => {
    const validation = run.summary.manifest.validation as Record<string, { ok: boolean; runtime: string; worstRelativeDiff: number; signatures?: Record<string, { ok: boolean }> }>;
    expect(Object.keys(validation)).to.have.members(['tfhub/savedmodel', 'tfhub/tfjs', 'tfhub/tflite', 'tfhub']);
    for (const target of ['tfhub/savedmodel', 'tfhub/tfjs', 'tfhub/tflite']) {
      expect(validation[target]!.ok, target).to.equal(true);
      expect(Object.keys(validation[target]!.signatures ?? {}), target).to.have.members(['serving_default', 'classify']);
    }
    expect(validation['tfhub/savedmodel']!.runtime).to.equal('savedmodel');
    console.log(`      worst relative |Δ|: ${['savedmodel', 'tfjs', 'tflite'].map((v) => `${v} ${validation[`tfhub/${v}`]!.worstRelativeDiff.toExponential(2)}`).join(', ')}`);
  });

  it('writes the SavedModel with variables, the labels as an asset, and archives it with folder entries first', async () => {
    const dir = path.join(run.dir, 'tfhub', 'savedmodel');
    const read = await readSavedModel(dir);
    expect(read.weights).to.equal('variables');
    // What fine-tunable: true rests on: TF1 training finds the weights in trainable_variables.
    const collections = (read.metaGraph as { collectionDef?: Record<string, unknown> }).collectionDef ?? {};
    expect(Object.keys(collections)).to.include.members(['variables', 'trainable_variables']);
    expect(Object.keys(read.metaGraph.signatureDef ?? {})).to.include.members(['serving_default', 'classify']);
    expect((read.metaGraph.assetFileDef ?? []).map((a) => a.filename)).to.deep.equal(['labels.txt']);
    expect(await fs.readFile(path.join(dir, 'assets', 'labels.txt'), 'utf8')).to.equal('a\nb\nc\nd\ne\n');
    const entries: string[] = [];
    await list({ file: path.join(run.dir, 'tfhub', 'savedmodel.tar.gz'), onReadEntry: (e) => { entries.push(e.path); } });
    expect(entries).to.deep.equal(['assets/', 'assets/labels.txt', 'saved_model.pb', 'variables/', 'variables/variables.data-00000-of-00001', 'variables/variables.index']);
    const card = await run.read('tfhub/README.md');
    expect(card.split('\n')[0]).to.equal('# Module acme/tiny/1');
    expect(card).to.include('<!-- asset-path: savedmodel.tar.gz -->');
    for (const file of ['README.md', 'docs/acme/models/tiny/1.md', 'docs/acme/models/tiny/tfjs/1.md', 'docs/acme/models/tiny/lite/1.md']) {
      expect(tfhubDevProblems(await run.read(`tfhub/${file}`)), file).to.deep.equal([]);
    }
    expect(card).to.include('<!-- format: saved_model -->');
    expect(card).to.include('<!-- fine-tunable: true -->');
    expect(card).to.include('model = hub.load("https://tfhub.dev/acme/tiny/1")');
    expect(card).to.include(`outputs = model.signatures["classify"](image=tf.zeros([1,${SIDE},${SIDE},3], tf.uint8))`);
    expect(card).to.include('outputs = model.signatures["serving_default"](x=tf.zeros([1,8,8,3], tf.float32))');
    expect(card).to.include('hub.KerasLayer("https://tfhub.dev/acme/tiny/1", signature="serving_default", signature_outputs_as_dict=True)');
    expect(card).to.include('`assets/labels.txt` (SavedModel) and `labels.txt` (tfjs)');
  });

  it('gives a text model\'s SavedModel vocab.txt and a tokenization_info signature that its runtime answers', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tfhub-vocab-'));
    try {
      const vocab = path.join(dir, 'vocab.txt');
      await fs.writeFile(vocab, '[PAD]\nhello\nworld\n');
      for (const doLowerCase of [true, false]) {
        const text = await runPipeline({
          graph: tinyDenseGraph(), plugins: [exporterSavedModel, runtimeSavedModel, exporterTfjs, exporterTfhub], targets: ['tfhub'],
          options: { targetOptions: { tfhub: { vocab, doLowerCase, task: 'text-embedding' } } },
        });
        const saved = path.join(text.dir, 'tfhub', 'savedmodel');
        expect(await fs.readFile(path.join(saved, 'assets', 'vocab.txt'), 'utf8')).to.equal('[PAD]\nhello\nworld\n');
        const read = await readSavedModel(saved);
        expect(Object.keys(read.metaGraph.signatureDef ?? {})).to.include('tokenization_info');
        const predictor = await serveArtifact({ plugins: [runtimeSavedModel], format: 'savedmodel', path: path.join(saved, 'saved_model.pb') });
        try {
          const out = await predictor.predict({}, 'tokenization_info');
          expect(Array.from(out.do_lower_case!.data as Uint8Array)).to.deep.equal([doLowerCase ? 1 : 0]);
        } finally {
          await predictor.dispose();
        }
        expect((text.summary.manifest.validation as Record<string, { ok: boolean }>)['tfhub/savedmodel']!.ok).to.equal(true);
        const tfjs = JSON.parse(await text.read('tfhub/tfjs/model.json'));
        expect(tfjs.userDefinedMetadata.tokenization).to.deep.equal({ vocab_file: 'vocab.txt', do_lower_case: doLowerCase });
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
