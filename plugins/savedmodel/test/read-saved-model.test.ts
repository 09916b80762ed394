import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { GraphExecutor, ModelLoadError, ModelportError } from '@modelport/core';
import { readSavedModel } from '../src/index.js';
import { FIXTURES_DIR, maxRelativeDiff, recordedRun } from './recorded-fixture.js';

const savedModelDir = (fixture: string) => path.join(FIXTURES_DIR, fixture, 'saved_model');

/** Reads the fixture, runs its signature in tfjs on TF's inputs and checks TF's outputs (≤ 1e-5 relative). */
async function expectTensorFlowOutputs(fixture: string): Promise<void> {
  const { graph } = await readSavedModel(savedModelDir(fixture));
  const run = recordedRun(fixture);
  const exec = await GraphExecutor.create(graph);
  try {
    const outputs = await exec.runSignature(graph.signatures[run.signature]!, run.inputs);
    for (const [key, expected] of Object.entries(run.outputs)) {
      expect(outputs[key]!.shape).to.deep.equal(expected.shape);
      const diff = maxRelativeDiff(outputs[key]!, expected);
      console.log(`      ${fixture} ${key}: max |Δ| ${diff.abs.toExponential(2)}, relative ${diff.rel.toExponential(2)}`);
      expect(diff.rel, key).to.be.at.most(1e-5);
    }
  } finally {
    exec.dispose();
  }
}

/** A copy of a fixture's SavedModel in a temp dir, to break. */
async function copyOf(fixture: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'savedmodel-'));
  await fs.cp(savedModelDir(fixture), dir, { recursive: true });
  return dir;
}

/** The error readSavedModel rejects with: a ModelLoadError whose message names the file. */
async function loadError(target: string, file: string): Promise<ModelLoadError> {
  const error = await readSavedModel(target).then(() => undefined, (e: unknown) => e);
  expect(error, 'readSavedModel should reject').to.be.instanceOf(ModelLoadError);
  expect((error as ModelLoadError).message).to.include(file);
  return error as ModelLoadError;
}

describe('readSavedModel', function () {
  this.timeout(60_000);
  const temps: string[] = [];
  after(async () => { for (const t of temps) await fs.rm(t, { recursive: true, force: true }); });
  const broken = async (fixture: string) => { const dir = await copyOf(fixture); temps.push(dir); return dir; };

  describe('a frozen TF1 SavedModel (tf1-frozen-cnn)', () => {
    it('gives TensorFlow\'s outputs when run in tfjs', async () => {
      await expectTensorFlowOutputs('tf1-frozen-cnn');
    });

    it('keeps the SignatureDef: keys, tensor names, dtypes, -1 batch, method', async () => {
      const { graph, tags, weights } = await readSavedModel(savedModelDir('tf1-frozen-cnn'));
      expect(tags).to.deep.equal(['serve']);
      expect(weights).to.equal('frozen');
      expect(graph.signatures).to.deep.equal({
        serving_default: {
          inputs: { image: { name: 'image:0', dtype: 'float32', shape: [-1, 32, 32, 3] } },
          outputs: { logits: { name: 'logits:0', dtype: 'float32', shape: [-1, 10] }, probs: { name: 'probs:0', dtype: 'float32', shape: [-1, 10] } },
          methodName: 'tensorflow/serving/predict',
        },
      });
      expect(graph.inputs).to.deep.equal(['image']);
      expect(graph.outputs).to.deep.equal(['logits:0', 'probs:0']);
    });

    it('accepts the saved_model.pb path as well as its directory', async () => {
      const { graph } = await readSavedModel(path.join(savedModelDir('tf1-frozen-cnn'), 'saved_model.pb'));
      expect(graph.nodes.map((n) => n.op)).to.include('FusedBatchNormV3');
    });
  });

  describe('refusals', () => {
    it('names the signatures and functions of a TF2 function-library SavedModel', async () => {
      const error = await loadError(savedModelDir('tf2-module-two-signatures'), 'saved_model.pb');
      expect(error.message).to.match(/TF2 function-library SavedModels/);
      expect(error.message).to.include('signature "serving_default": StatefulPartitionedCall');
      expect(error.message).to.include('signature "embed": StatefulPartitionedCall');
    });

    it('lists the tag sets present when no MetaGraphDef is tagged as asked', async () => {
      const error = await readSavedModel(savedModelDir('tf1-frozen-cnn'), { tags: ['train'] }).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(ModelLoadError);
      expect((error as Error).message).to.include('no MetaGraphDef is tagged [train]; the tag sets present are [serve]');
    });
  });

  describe('broken files give one ModelLoadError naming the file', () => {
    it('a directory without saved_model.pb', async () => {
      const dir = await broken('tf1-frozen-cnn');
      await fs.rm(path.join(dir, 'saved_model.pb'));
      const error = await loadError(dir, dir);
      expect(error.message).to.include('holds no saved_model.pb');
    });

    it('saved_model.pb cut in half', async () => {
      const dir = await broken('tf1-frozen-cnn');
      const pb = path.join(dir, 'saved_model.pb');
      const bytes = await fs.readFile(pb);
      await fs.writeFile(pb, bytes.subarray(0, bytes.byteLength >> 1));
      const error = await loadError(dir, 'saved_model.pb');
      expect(error.message).to.match(/not a SavedModel protobuf, or cut short \(.+\)/);
    });

    it('a PNG renamed saved_model.pb', async () => {
      const dir = await broken('tf1-frozen-cnn');
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082', 'hex');
      await fs.writeFile(path.join(dir, 'saved_model.pb'), png);
      const error = await loadError(dir, 'saved_model.pb');
      expect(error.message).to.match(/not a SavedModel protobuf|saved_model_schema_version|no MetaGraphDef/);
    });

    it('a model.json renamed saved_model.pb', async () => {
      const dir = await broken('tf1-frozen-cnn');
      await fs.writeFile(path.join(dir, 'saved_model.pb'), JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
      const error = await loadError(dir, 'saved_model.pb');
      expect(error.message).to.match(/not a SavedModel protobuf|saved_model_schema_version|no MetaGraphDef/);
    });

    it('an empty saved_model.pb', async () => {
      const dir = await broken('tf1-frozen-cnn');
      await fs.writeFile(path.join(dir, 'saved_model.pb'), '');
      const error = await loadError(dir, 'saved_model.pb');
      expect(error.message).to.include('the file is empty, not a SavedModel');
    });

    it('is a ModelportError (one line for the CLI), never a bare protobufjs error', async () => {
      const dir = await broken('tf1-frozen-cnn');
      const pb = path.join(dir, 'saved_model.pb');
      const bytes = await fs.readFile(pb);
      for (const cut of [1, 7, 100, 1000, bytes.byteLength - 3]) {
        await fs.writeFile(pb, bytes.subarray(0, cut));
        const error = await readSavedModel(dir).then(() => undefined, (e: unknown) => e);
        expect(error, `cut at ${cut}`).to.be.instanceOf(ModelportError);
        expect((error as Error).message, `cut at ${cut}`).to.not.include('\n');
      }
    });
  });
});
