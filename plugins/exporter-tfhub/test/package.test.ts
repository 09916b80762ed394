import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { list, extract } from 'tar';
import * as tf from '@tensorflow/tfjs';
import { compareTensors, GraphExecutor, loadGraphModelFromMemory, readTfjsModelFiles, SIGNATURE_FILES_KEY, type TensorData } from '@modelport/core';
import exporterTfjs from '@modelport/exporter-tfjs';
import exporterTflite from '@modelport/exporter-tflite';
import runtimeTflite from '@modelport/runtime-tflite';
import { expectSignaturesMatchGraph, moduleSignaturePlugins, photoCases, randomPixels, runPipeline, serveArtifact, smallImageClassifier, type PipelineRun } from '@modelport/testing';
import { exporterTfhub } from '../src/index.js';
import { tfhubDevProblems } from './tfhub-dev-rules.js';

const SIDE = 16;

/** The classifier with a uint8-photo signature "classify" (pixels → model → classes), packaged for TF Hub with tfjs and tflite. */
function exportClassifier(tfhub: Record<string, unknown> = {}): Promise<PipelineRun> {
  return runPipeline({
    graph: smallImageClassifier(),
    plugins: [...moduleSignaturePlugins, exporterTfjs, exporterTflite, runtimeTflite, exporterTfhub],
    targets: ['tfhub'],
    options: {
      signatures: { classify: ['pixels', 'classes'] },
      moduleOptions: { pixels: { height: SIDE, width: SIDE } },
      targetOptions: { tfhub: { variants: ['tfjs'], tflite: true, publisher: 'acme', modelName: 'tiny-classifier', version: 3, ...tfhub } },
    },
  });
}

/** Entry names of a .tar.gz, as `tar -tzf` lists them. */
async function archiveEntries(file: string): Promise<string[]> {
  const names: string[] = [];
  await list({ file, onReadEntry: (e) => { names.push(e.path); } });
  return names;
}

/** The feeds and fetches of the card's tfjs snippet for one signature: what a reader would type. */
function tfjsSnippet(card: string, key: string): { feeds: string[]; fetches: string[]; outputs: string[] } {
  const lines = card.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`// signature "${key}"`));
  const call = lines.slice(at).find((l) => l.includes('.execute('));
  const m = call && /^const \[(.*)\] = \w+\.execute\(\{ (.*) \}, (\[.*\])\);$/.exec(call);
  if (at < 0 || !m) throw new Error(`no tfjs snippet for signature "${key}" in the card`);
  return { outputs: m[1]!.split(', '), feeds: [...m[2]!.matchAll(/'([^']+)': tf\.zeros/g)].map((x) => x[1]!), fetches: JSON.parse(m[3]!) as string[] };
}

async function extracted(file: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tfhub-test-'));
  await extract({ file, cwd: dir });
  return dir;
}

describe('exporter-tfhub: the package for TF Hub and Kaggle Models', function () {
  this.timeout(120_000);
  let run: PipelineRun;
  before(async () => { run = await exportClassifier(); });

  it('lists every file it wrote: the card, the docs entries, each variant and its archive', async () => {
    const record = run.artifact('tfhub');
    expect(record.format).to.equal('tfhub');
    expect(record.path).to.equal('tfhub/README.md');
    expect(record.files).to.include.members([
      'tfhub/README.md', 'tfhub/docs/acme/models/tiny-classifier/3.md', 'tfhub/docs/acme/models/tiny-classifier/tfjs/3.md',
      'tfhub/docs/acme/models/tiny-classifier/lite/3.md', 'tfhub/tfjs/model.json', 'tfhub/tfjs/labels.txt', 'tfhub/tfjs.tar.gz',
      'tfhub/tflite/model.tflite', 'tfhub/tflite.tar.gz',
    ]);
    for (const f of record.files) await fs.access(path.join(run.dir, f));
    expect(run.notes.join('\n')).not.to.match(/listed by no exporter/);
  });

  it('is validated through its variants: each runs in its own runtime against the source, every signature', () => {
    const validation = run.summary.manifest.validation as Record<string, { ok: boolean; runtime: string; signatures?: Record<string, { ok: boolean }> }>;
    expect(Object.keys(validation)).to.have.members(['tfhub/tfjs', 'tfhub/tflite', 'tfhub']);
    expect(validation.tfhub!.ok).to.equal(true);
    expect(run.artifact('tfhub').validation?.ok).to.equal(true);
    for (const target of ['tfhub/tfjs', 'tfhub/tflite']) {
      const report = validation[target]!;
      expect(report.ok, target).to.equal(true);
      expect(Object.keys(report.signatures ?? {}), target).to.have.members(['serving_default', 'classify']);
    }
    expect(validation['tfhub/tflite']!.runtime).to.equal('tflite');
    expect(run.notes.join('\n')).not.to.include('not validated');
  });

  for (const variant of ['tfjs', 'tflite']) {
    it(`packs the ${variant} folder's contents at the archive root, and the archive extracts to the same bytes`, async () => {
      const folder = path.join(run.dir, 'tfhub', variant);
      const inFolder = (await fs.readdir(folder, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
        .map((e) => path.relative(folder, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
      const archive = path.join(run.dir, 'tfhub', `${variant}.tar.gz`);
      const entries = await archiveEntries(archive);
      expect(entries.filter((e) => !e.endsWith('/')).sort()).to.deep.equal(inFolder);
      // TF Hub's resolver creates a folder only for a folder entry, then opens each file in it: folders come first.
      for (const [i, e] of entries.entries()) {
        const parent = e.replace(/\/$/, '').split('/').slice(0, -1).join('/');
        if (parent) expect(entries.indexOf(`${parent}/`), `folder entry of ${e}`).to.be.within(0, i - 1);
      }
      expect(entries.some((e) => e.startsWith('/') || e.startsWith('./') || e.startsWith(`${variant}/`))).to.equal(false);
      if (variant === 'tfjs') expect(entries).to.include('classify/');
      const out = await extracted(archive);
      try {
        for (const f of inFolder) expect(Buffer.compare(await fs.readFile(path.join(out, f)), await fs.readFile(path.join(folder, f))), f).to.equal(0);
      } finally {
        await fs.rm(out, { recursive: true, force: true });
      }
      const details = run.artifact('tfhub').details as { archiveBytes: Record<string, number> };
      expect(details.archiveBytes[variant]).to.equal((await fs.stat(archive)).size);
    });
  }

  it('writes the card in TF Hub\'s format, as tfhub.dev\'s validator rules take it: handle line, metadata, signature tables with None dims', async () => {
    const card = await run.read('tfhub/README.md');
    const lines = card.split('\n');
    // No SavedModel in this package: tfhub.dev documents the model as a Placeholder, parent of its Tfjs and Lite entries.
    expect(lines[0]).to.equal('# Placeholder acme/tiny-classifier/3');
    expect(card).not.to.include('<!-- asset-path:');
    expect(card).to.include('<!-- task: image-classification -->');
    expect(card).to.include('<!-- fine-tunable: false -->'); // no SavedModel in this package: nothing to train
    expect(card).to.include('<!-- license: apache-2.0 -->');
    expect(card).not.to.include('<!-- format:');
    for (const file of ['README.md', 'docs/acme/models/tiny-classifier/3.md', 'docs/acme/models/tiny-classifier/tfjs/3.md', 'docs/acme/models/tiny-classifier/lite/3.md']) {
      expect(tfhubDevProblems(await run.read(`tfhub/${file}`)), file).to.deep.equal([]);
    }
    const classify = run.graph.signatures.classify!;
    expect(classify.inputs.image!.shape).to.deep.equal([1, SIDE, SIDE, 3]);
    expect(card).to.include(`| input | \`image\` | uint8 | \`[1, ${SIDE}, ${SIDE}, 3]\` |`);
    expect(card).to.include('| output | `probabilities` | float32 | `[None, 5]` |');
    expect(card).to.include('| output | `class` | int32 | `[None]` |');
    expect(card).to.include('| input | `x` | float32 | `[None, 8, 8, 3]` |');
    expect(card).to.include('Built as `pixels` → the model → `classes`.');
  });

  it('gives loading snippets with this model\'s signature keys and input names', async () => {
    const card = await run.read('tfhub/README.md');
    expect(card).to.include("tf.loadGraphModel('https://tfhub.dev/acme/tiny-classifier/tfjs/3', { fromTFHub: true })");
    const snippet = tfjsSnippet(card, 'classify');
    expect(snippet.outputs).to.deep.equal(['probabilities', 'class_']);
    expect(snippet.feeds).to.have.length(1);
    expect(card).to.include(`tf.zeros([1,${SIDE},${SIDE},3], 'int32')`);
    expect(card).to.include('tf.lite.Interpreter(model_path="model.tflite")');
    expect(card).to.include('interpreter.get_signature_runner("classify")');
    expect(card).to.include(`runner(image=np.zeros([1,${SIDE},${SIDE},3], np.uint8))`);
    const lite = await run.read('tfhub/docs/acme/models/tiny-classifier/lite/3.md');
    expect(lite.split('\n')[0]).to.equal('# Lite acme/tiny-classifier/3');
    expect(lite).to.include('<!-- parent-model: acme/tiny-classifier/3 -->');
    expect(lite).to.include('<!-- asset-path: model.tflite -->');
    const tfjsEntry = await run.read('tfhub/docs/acme/models/tiny-classifier/tfjs/3.md');
    expect(tfjsEntry.split('\n')[0]).to.equal('# Tfjs acme/tiny-classifier/3');
    expect(tfjsEntry).to.include('<!-- parent-model: acme/tiny-classifier/3 -->');
  });

  it('carries the classification labels as labels.txt, one a line, in class order', async () => {
    expect(await run.read('tfhub/tfjs/labels.txt')).to.equal('a\nb\nc\nd\ne\n');
    expect(await run.read('tfhub/README.md')).to.include('the 5 class labels');
  });

  it('has a tfjs variant that tf.loadGraphModel runs as the card says, with the source\'s outputs', async () => {
    const folder = path.join(run.dir, 'tfhub', 'tfjs');
    const index = JSON.parse(await run.read('tfhub/tfjs/model.json')).userDefinedMetadata?.[SIGNATURE_FILES_KEY] as Record<string, { file: string }> | undefined;
    expect(index?.classify?.file).to.equal('classify/model.json');
    const file = path.join(folder, index!.classify!.file);
    const files = await readTfjsModelFiles(file);
    const model = await loadGraphModelFromMemory(files.json, files.groups.flatMap((g) => g.group.weights) as tf.io.WeightsManifestEntry[], new Uint8Array(Buffer.concat(files.groups.map((g) => g.bytes))));
    const photo = randomPixels(SIDE, SIDE, 7);
    const image = tf.tensor(Int32Array.from(photo.data as Uint8Array), photo.shape as number[], 'int32');
    const snippet = tfjsSnippet(await run.read('tfhub/README.md'), 'classify');
    const [probabilities, best] = model.execute({ [snippet.feeds[0]!]: image }, snippet.fetches) as tf.Tensor[];
    const exec = await GraphExecutor.create(run.graph);
    try {
      const expected = await exec.runSignature(run.graph.signatures.classify!, { image: photo });
      const got: TensorData = { dtype: 'float32', shape: probabilities!.shape, data: await probabilities!.data() as Float32Array };
      const c = compareTensors('probabilities', got, expected.probabilities!, 1e-5);
      expect(c.ok, c.problem).to.equal(true);
      expect(Array.from(await best!.data())).to.deep.equal(Array.from(expected.class!.data as Int32Array));
    } finally {
      exec.dispose();
      tf.dispose([image, probabilities!, best!]);
    }
  });

  it('has a tflite variant that LiteRT runs with the source\'s outputs, every signature', async () => {
    const predictor = await serveArtifact({ plugins: [runtimeTflite], format: 'tflite', path: path.join(run.dir, 'tfhub', 'tflite', 'model.tflite') });
    try {
      const comparisons = await expectSignaturesMatchGraph(predictor, run.graph, photoCases(['classify'], [[SIDE, SIDE]]));
      expect(comparisons.length).to.be.greaterThan(0);
    } finally {
      await predictor.dispose();
    }
  });
});
