import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { GraphExecutor, ModelLoadError, ModelportError, UnsupportedOpsError } from '@modelport/core';
import { messageType, readSavedModel, readTensorBundle, writeTensorBundle } from '../src/index.js';
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

/** Rewrites a SavedModel's saved_model.pb through protobufjs: decode, edit the plain object, encode. */
async function rewriteSavedModel(dir: string, edit: (model: any) => void): Promise<void> {
  const type = messageType('SavedModel');
  const file = path.join(dir, 'saved_model.pb');
  const model = type.toObject(type.decode(await fs.readFile(file)), { longs: String, enums: String, bytes: Buffer });
  edit(model);
  await fs.writeFile(file, type.encode(type.fromObject(model)).finish());
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

  describe('a TF1 SavedModel with variables (tf1-variables-mlp)', () => {
    it('gives TensorFlow\'s outputs, with the weights read from the variables bundle', async () => {
      await expectTensorFlowOutputs('tf1-variables-mlp');
    });

    it('keeps only the inference nodes: variable reads become Consts, init and save/restore fall away; MatMul + BiasAdd fused as tfjs runs them', async () => {
      const { graph, weights } = await readSavedModel(savedModelDir('tf1-variables-mlp'));
      expect(weights).to.equal('variables');
      expect(graph.nodes.map((n) => n.op)).to.have.members(['Placeholder', 'Const', 'Const', '_FusedMatMul', 'Softmax']);
      expect(graph.nodes.find((n) => n.op === '_FusedMatMul')!.name, 'named after the BiasAdd its readers read').to.equal('BiasAdd');
      expect(graph.constants.get('MatMul/ReadVariableOp')!.shape).to.deep.equal([5, 3]);
      expect(graph.constants.get('BiasAdd/ReadVariableOp')!.shape).to.deep.equal([3]);
      expect(graph.signatures.serving_default!.inputs).to.deep.equal({ features: { name: 'features:0', dtype: 'float32', shape: [-1, 5] } });
    });
  });

  describe('TF1 ref variables (VariableV2 read through Identity)', () => {
    it('gives TensorFlow\'s outputs when tf1-variables-mlp is rewritten to ref variables', async () => {
      const dir = await broken('tf1-variables-mlp');
      await rewriteSavedModel(dir, (model) => {
        for (const node of model.metaGraphs[0].graphDef.node) {
          if (node.op === 'VarHandleOp') { node.op = 'VariableV2'; delete node.attr.allowed_devices; delete node.attr.debug_name; }
          else if (node.op === 'ReadVariableOp') { node.op = 'Identity'; node.attr = { T: node.attr.dtype }; }
          else if (node.op === 'AssignVariableOp') { node.op = 'Assign'; node.attr = { T: node.attr.dtype }; }
        }
      });
      const { graph, weights } = await readSavedModel(dir);
      expect(weights).to.equal('variables');
      expect(graph.nodes.filter((n) => n.op === 'VariableV2')).to.deep.equal([]);
      expect(graph.constants.get('dense/kernel')!.shape).to.deep.equal([5, 3]);
      const run = recordedRun('tf1-variables-mlp');
      const exec = await GraphExecutor.create(graph);
      try {
        const { probs } = await exec.runSignature(graph.signatures.serving_default!, run.inputs);
        expect(maxRelativeDiff(probs!, run.outputs.probs!).rel).to.be.at.most(1e-5);
      } finally {
        exec.dispose();
      }
    });
  });

  describe('TF2 SavedModels: function calls inlined, variables from the bundle', () => {
    it('tf2-module-two-signatures gives TensorFlow\'s outputs, the int32 one too', async () => {
      await expectTensorFlowOutputs('tf2-module-two-signatures');
    });

    it('keeps both SignatureDefs (the init op\'s left out) with dtypes and -1 dims as the pbtxt has them', async () => {
      const { graph } = await readSavedModel(savedModelDir('tf2-module-two-signatures'));
      expect(Object.keys(graph.signatures)).to.deep.equal(['serving_default', 'embed']);
      const main = graph.signatures.serving_default!, embed = graph.signatures.embed!;
      expect(main.inputs.x).to.deep.equal({ name: 'serving_default_x:0', dtype: 'float32', shape: [-1, 6] });
      expect([main.outputs.scores!.dtype, main.outputs.scores!.shape, main.outputs.top!.dtype, main.outputs.top!.shape]).to.deep.equal(['float32', [-1, 4], 'int32', [-1]]);
      expect(embed.methodName).to.equal('tensorflow/serving/predict');
      expect([embed.inputs.x!.shape, embed.outputs.embedding!.shape]).to.deep.equal([[-1, 6], [-1, 4]]);
      expect(graph.nodes.filter((n) => /Call$|^VarHandleOp$|^ReadVariableOp$/.test(n.op))).to.deep.equal([]);
    });

    it('runs the second signature: embed gives unit-length rows (its function l2-normalizes)', async () => {
      const { graph } = await readSavedModel(savedModelDir('tf2-module-two-signatures'));
      const exec = await GraphExecutor.create(graph);
      try {
        const x = recordedRun('tf2-module-two-signatures').inputs.x!;
        const { embedding } = await exec.runSignature(graph.signatures.embed!, { x });
        expect(embedding!.shape).to.deep.equal([x.shape[0], 4]);
        const rows = Array.from({ length: x.shape[0]! }, (_, r) => Math.hypot(...Array.from((embedding!.data as Float32Array).subarray(r * 4, r * 4 + 4))));
        rows.forEach((norm) => expect(norm).to.be.closeTo(1, 1e-5));
      } finally {
        exec.dispose();
      }
    });

    it('keras-export-cnn (Keras 3 model.export) gives TensorFlow\'s outputs', async () => {
      await expectTensorFlowOutputs('keras-export-cnn');
    });
  });

  describe('TF2 control flow (tf2-control-flow): While and If as v1 loops and conds', () => {
    it('gives TensorFlow\'s outputs', async () => {
      await expectTensorFlowOutputs('tf2-control-flow');
    });

    // The function the fixture's pbtxt holds: i = 0; while i < steps: x = tanh(1.5·x + 0.1), i += 1;
    // then 2·x if sum(x) > 0, else x − 1. Run for other step counts and both branches.
    const reference = (x: Float32Array, steps: number) => {
      let v = Array.from(x);
      for (let i = 0; i < steps; i++) v = v.map((e) => Math.tanh(Math.fround(Math.fround(1.5 * e) + 0.1)));
      return v.reduce((a, b) => a + b, 0) > 0 ? v.map((e) => 2 * e) : v.map((e) => e - 1);
    };
    for (const [steps, sign] of [[0, -1], [0, 1], [1, -1], [5, 1], [7, -1]] as const) {
      it(`runs ${steps} iteration(s) and the ${sign > 0 ? 'then' : 'else'} branch as the function says`, async () => {
        const { graph } = await readSavedModel(savedModelDir('tf2-control-flow'));
        const x = Float32Array.from({ length: 8 }, (_, i) => sign * (0.2 + 0.1 * i) * (i % 3 === 2 ? -0.5 : 1));
        const exec = await GraphExecutor.create(graph);
        try {
          const { y } = await exec.runSignature(graph.signatures.serving_default!, {
            steps: { dtype: 'int32', shape: [], data: Int32Array.of(steps) }, x: { dtype: 'float32', shape: [2, 4], data: x },
          });
          const want = reference(x, steps);
          Array.from(y!.data as Float32Array).forEach((v, i) => expect(v, `y[${i}]`).to.be.closeTo(want[i]!, 1e-5));
        } finally {
          exec.dispose();
        }
      });
    }
  });

  describe('refusals', () => {
    it('names the Case nodes of TF2 control flow it does not read', async () => {
      const dir = await broken('tf2-control-flow');
      await rewriteSavedModel(dir, (model) => {
        for (const fn of model.metaGraphs[0].graphDef.library.function) for (const node of fn.nodeDef ?? []) if (node.op === 'StatelessIf') node.op = 'StatelessCase';
      });
      const error = await loadError(dir, 'saved_model.pb');
      expect(error.message).to.match(/TF2 functional Case and For \(branches in the function library\) are not read yet: signature "serving_default": StatelessCase "[^"]*cond"/);
    });

    it('lists the tag sets present when no MetaGraphDef is tagged as asked', async () => {
      const error = await readSavedModel(savedModelDir('tf1-frozen-cnn'), { tags: ['train'] }).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(ModelLoadError);
      expect((error as Error).message).to.include('no MetaGraphDef is tagged [train]; the tag sets present are [serve]');
    });
  });

  describe('graphs the reader cannot take, named in one error', () => {
    it('lists every node whose op tfjs cannot run, all at once', async () => {
      const dir = await broken('tf1-frozen-cnn');
      await rewriteSavedModel(dir, (model) => {
        for (const node of model.metaGraphs[0].graphDef.node) {
          if (node.op === 'Relu6') node.op = 'AcmeClip';
          if (node.op === 'AvgPool') node.op = 'AcmePool';
        }
      });
      const error = await readSavedModel(dir).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(UnsupportedOpsError);
      expect((error as Error).message).to.include('saved_model.pb').and.match(/2 node\(s\) use ops that .*: "[^"]+" \(AcmeClip\), "[^"]+" \(AcmePool\)/);
    });

    it('a signature naming a node the graph does not have', async () => {
      const dir = await broken('tf1-frozen-cnn');
      await rewriteSavedModel(dir, (model) => { model.metaGraphs[0].signatureDef.serving_default.outputs.probs.name = 'probabilities:0'; });
      const error = await loadError(dir, 'saved_model.pb');
      expect(error.message).to.include('signature "serving_default" output "probs" names tensor "probabilities:0", but the graph has no node "probabilities"');
    });
  });

  describe('a broken variables bundle gives one ModelLoadError naming the bundle file', () => {
    it('a flipped byte in the data file fails its checksum', async () => {
      const dir = await broken('tf1-variables-mlp');
      const data = path.join(dir, 'variables', 'variables.data-00000-of-00001');
      const bytes = await fs.readFile(data);
      bytes[5] ^= 0xff;
      await fs.writeFile(data, bytes);
      const error = await loadError(dir, 'variables.data-00000-of-00001');
      expect(error.message).to.match(/tensor "dense\/(bias|kernel)"/);
    });

    it('a missing variables/ directory', async () => {
      const dir = await broken('tf1-variables-mlp');
      await fs.rm(path.join(dir, 'variables'), { recursive: true });
      const error = await loadError(dir, 'variables.index');
      expect(error.message).to.include('the variables bundle is missing, so it cannot give 2 variable(s) the signatures read: "dense/kernel" (key "dense/kernel"), "dense/bias" (key "dense/bias")');
    });

    it('a bundle without one of the variables names it and its key', async () => {
      const dir = await broken('tf1-variables-mlp');
      const prefix = path.join(dir, 'variables', 'variables');
      const tensors = await readTensorBundle(prefix);
      tensors.delete('dense/bias');
      await fs.rm(path.join(dir, 'variables'), { recursive: true });
      await fs.mkdir(path.join(dir, 'variables'));
      await writeTensorBundle(prefix, tensors);
      const error = await loadError(dir, 'variables.index');
      expect(error.message).to.include('the variables bundle has no entry for 1 variable(s) the signatures read: "dense/bias" (key "dense/bias")');
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
      expect(error.message).to.match(/not a SavedModel protobuf, or cut short: .+ bytes/);
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
