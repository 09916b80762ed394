import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { scratchDir } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/paths.js';

/** SavedModels TensorFlow wrote (kept with the savedmodel library's tests). */
const fixture = (name: string) => path.join(REPO_ROOT, 'plugins', 'savedmodel', 'test', 'fixtures', name, 'saved_model');
const FIXTURE = fixture('tf1-frozen-cnn');

describe('SavedModel sources on the command line', function () {
  this.timeout(180_000);
  let dir: string;
  before(async () => { dir = await scratchDir('savedmodel'); });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('exports a SavedModel directory to tfjs and onnx, both validated, named after its folder', async () => {
    const r = await runCli(['export', FIXTURE, '--to', 'tfjs,onnx', '--out', path.join(dir, 'models'), '--json', '--no-progress']);
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout) as { dir: string; artifacts: { target: string; validation?: { ok: boolean; worstRelativeDiff: number } }[] };
    expect(path.basename(path.dirname(summary.dir))).to.equal('tf1-frozen-cnn');
    for (const target of ['tfjs', 'onnx']) {
      const artifact = summary.artifacts.find((a) => a.target === target);
      expect(artifact?.validation?.ok, `${target} validation`).to.equal(true);
      console.log(`      ${target}: worst relative diff vs the SavedModel ${artifact!.validation!.worstRelativeDiff.toExponential(2)}`);
    }
  });

  it('exports a Keras 3 SavedModel (TF2 function library, variables) given as its saved_model.pb', async () => {
    const r = await runCli(['export', path.join(fixture('keras-export-cnn'), 'saved_model.pb'), '--to', 'tfjs,onnx', '--out', path.join(dir, 'models'), '--json', '--no-progress']);
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout) as { dir: string; artifacts: { target: string; validation?: { ok: boolean; worstRelativeDiff: number } }[] };
    expect(path.basename(path.dirname(summary.dir))).to.equal('keras-export-cnn');
    expect(summary.artifacts.map((a) => [a.target, a.validation?.ok])).to.deep.equal([['tfjs', true], ['onnx', true]]);
  });

  it('exports TF2 While/If control flow to tfjs, onnx and tflite, each validated', async () => {
    const r = await runCli(['export', fixture('tf2-control-flow'), '--to', 'tfjs,onnx,tflite', '--out', path.join(dir, 'models'), '--json', '--no-progress']);
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout) as { artifacts: { target: string; validation?: { ok: boolean } }[] };
    expect(summary.artifacts.map((a) => [a.target, a.validation?.ok])).to.deep.equal([['tfjs', true], ['onnx', true], ['tflite', true]]);
  });

  it('inspects a SavedModel directory: its SignatureDef, ops and where the weights are', async () => {
    const r = await runCli(['inspect', FIXTURE]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^a TensorFlow SavedModel \(MetaGraphDef \[serve\]\)$/m);
    expect(r.stdout).to.match(/^\s+input\s+image\s+image:0\s+float32\s+\[-1, 32, 32, 3\]$/m);
    expect(r.stdout).to.match(/^\s+output\s+probs\s+probs:0\s+float32\s+\[-1, 10\]$/m);
    expect(r.stdout).to.match(/^\s+FusedBatchNormV3\s+1$/m);
    expect(r.stdout).to.match(/tags: \[serve\]; method of serving_default: tensorflow\/serving\/predict; written by TensorFlow: 2\.\d+\.\d+; .*weights: frozen \(Const nodes\)/);
  });

  it('refuses a cut saved_model.pb in one line naming the file, with a non-zero exit and no stack', async () => {
    const cut = path.join(dir, 'cut');
    await fs.mkdir(cut);
    const bytes = await fs.readFile(path.join(FIXTURE, 'saved_model.pb'));
    await fs.writeFile(path.join(cut, 'saved_model.pb'), bytes.subarray(0, bytes.byteLength >> 1));
    for (const args of [['export', cut, '--to', 'tfjs', '--out', path.join(dir, 'cut-models'), '--no-progress'], ['inspect', cut]]) {
      const r = await runCli(args);
      expect(r.code, args[0]).to.not.equal(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).to.have.length(1);
      expect(lines[0]).to.include(path.join(cut, 'saved_model.pb')).and.include('not a SavedModel protobuf, or cut short');
      expect(r.stderr).to.not.match(/\n\s+at /);
    }
  });
});
