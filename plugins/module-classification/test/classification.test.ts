import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  composeSignatures, GraphBuilder, GraphExecutor, ModuleError, type Contribution, type ExportModule, type Graph, type SignatureRequest, type TensorData,
} from '@modelport/core';
import { topK } from '@modelport/adapter-image-classification';
import { classificationModule, PLUGIN_NAME } from '../src/index.js';
import { EMOTION_INPUT, EMOTION_LABELS, emotionGraph, photoBatch } from './emotion.js';

const modules: Contribution<ExportModule>[] = [{ plugin: PLUGIN_NAME, value: classificationModule }];
const floats = (t: TensorData | undefined) => Array.from(t!.data as Float32Array);
const ints = (t: TensorData | undefined) => Array.from(t!.data as Int32Array);

function compose(graph: Graph, options: Record<string, unknown>, request: Partial<SignatureRequest> = {}): Graph {
  return composeSignatures(graph, { signatures: { serving_default: ['classification'] }, moduleOptions: { classification: options }, ...request }, modules);
}

/** Runs the composed serving_default and the model's own signature (kept as "source") on the same batch. */
async function runBoth(graph: Graph, batch: TensorData): Promise<{ out: Record<string, TensorData>; raw: TensorData }> {
  const exec = await GraphExecutor.create(graph);
  try {
    const out = await exec.runSignature(graph.signatures.serving_default!, { [EMOTION_INPUT]: batch });
    const own = await exec.runSignature(graph.signatures.source!, { [EMOTION_INPUT]: batch });
    return { out, raw: Object.values(own)[0]! };
  } finally {
    exec.dispose();
  }
}

function expectClose(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  expect(actual.length, what).to.equal(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `${what}[${i}]: ${v} vs ${expected[i]}`).to.be.at.most(tolerance));
}

describe('module-classification: the classification stage', function () {
  this.timeout(60_000);
  let model: Graph;
  let batch: TensorData;
  before(async () => {
    model = await emotionGraph();
    batch = await photoBatch();
  });

  for (const softmax of [false, true]) {
    it(`ranks skimage photos as the adapter's topK does on the raw scores (softmax ${softmax})`, async () => {
      const { out, raw } = await runBoth(compose(model, { topK: 5, softmax }), batch);
      const expected = topK(raw, 5, softmax);
      expect(out.classes!.shape).to.deep.equal([5, 5]);
      expect(out.classes!.dtype).to.equal('int32');
      expect(ints(out.classes)).to.deep.equal(Array.from(expected.classes));
      expectClose(floats(out.scores), Array.from(expected.scores), 1e-6, 'scores');
      expect(floats(out.logits)).to.deep.equal(floats(raw));
      expect(out.probs!.shape).to.deep.equal([5, 7]);
      if (!softmax) expect(floats(out.probs)).to.deep.equal(floats(raw));
    });
  }

  it('applies sigmoid when asked, and returns only the outputs named', async () => {
    const { out, raw } = await runBoth(compose(model, { activation: 'sigmoid', outputs: ['probs', 'classes'], topK: 3 }), batch);
    expect(Object.keys(out)).to.have.members(['probs', 'classes']);
    expectClose(floats(out.probs), floats(raw).map((v) => 1 / (1 + Math.exp(-v))), 1e-6, 'probs');
    const sigmoidRanked = topK({ ...raw, data: Float32Array.from(floats(raw), (v) => 1 / (1 + Math.exp(-v))) }, 3, false);
    expect(ints(out.classes)).to.deep.equal(Array.from(sigmoidRanked.classes));
  });

  it('keeps the labels, read from a file, with the signature', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'module-classification-'));
    try {
      const file = path.join(dir, 'labels.txt');
      await fs.writeFile(file, ['background', ...EMOTION_LABELS, ''].join('\n'));
      const graph = compose(model, { labels: file, labelOffset: 1 });
      expect(graph.signatures.serving_default!.moduleMetadata).to.deep.equal({ classification: { labels: ['background', ...EMOTION_LABELS], labelOffset: 1 } });
      // A relative file is found beside the options file that names it.
      const beside = compose(model, { labels: 'labels.txt', labelOffset: 1 }, { moduleOptionsFile: path.join(dir, 'options.json') });
      expect(beside.signatures.serving_default!.moduleMetadata).to.deep.equal(graph.signatures.serving_default!.moduleMetadata);
      expect(compose(model, {}).signatures.serving_default!.moduleMetadata).to.equal(undefined);
    } finally {
      await fs.rm(dir, { recursive: true });
    }
  });

  it('ranks all classes by default when there are fewer than five', async () => {
    const graph = compose(twoOutputs([-1, 3]), { output: 'a' });
    expect(graph.signatures.serving_default!.outputs.classes!.shape).to.deep.equal([-1, 3]);
    const exec = await GraphExecutor.create(graph);
    try {
      const out = await exec.runSignature(graph.signatures.serving_default!, { x: { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 3, 2, 0.5, -1, 0.25]) } });
      expect(ints(out.classes)).to.deep.equal([1, 2, 0, 0, 2, 1]); // relu: [1, 3, 2] and [0.5, 0, 0.25]
    } finally {
      exec.dispose();
    }
  });

  it('names the module and the option when the model or the options do not fit', () => {
    const fails = (options: Record<string, unknown>, graph: Graph = model) => () => compose(graph, options);
    expect(fails({ output: 'scores' })).to.throw(ModuleError, /module "classification", option "output".*no output "scores" \(it has Identity\)/);
    expect(fails({ topK: 8 })).to.throw(ModuleError, /option "topK".*topK is 8 but output "Identity" has 7 classes/);
    expect(fails({ topK: 8, outputs: ['logits', 'probs'] })).to.not.throw(); // nothing ranked
    expect(fails({ labels: EMOTION_LABELS.slice(1) })).to.throw(ModuleError, /option "labels".*6 labels for 7 classes: expected 7/);
    expect(fails({ labels: EMOTION_LABELS, labelOffset: 1 })).to.throw(ModuleError, /7 labels for 7 classes \+ labelOffset 1: expected 8/);
    expect(fails({ labels: '/no/such/labels.txt' })).to.throw(ModuleError, /option "labels".*cannot read the labels file/);
    expect(fails({ softmax: true, activation: 'sigmoid' })).to.throw(ModuleError, /option "activation".*"softmax": true asks for softmax but "activation" is "sigmoid"/);
    expect(fails({ activation: 'relu' })).to.throw(ModuleError, /invalid options of module "classification"/);
    expect(fails({}, twoOutputs([-1, 3]))).to.throw(ModuleError, /option "output".*the model has 2 outputs \(a, b\): name the one holding the class scores/);
    expect(fails({ output: 'a' }, twoOutputs([-1, -1]))).to.throw(ModuleError, /option "output".*output "a" has shape \[-1, -1\]: class scores must be \[batch, classes…\] with a known class count/);
  });
});

/** x [-1, 3] returned twice, as "a" and "b", declared with `shape`. */
function twoOutputs(shape: number[]): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 3]);
  const y = b.node('y', { op: 'Relu', inputs: [x], attrs: { T: { type: 'float32' } } });
  const z = b.node('z', { op: 'Sigmoid', inputs: [x], attrs: { T: { type: 'float32' } } });
  return b.outputs(y, z).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [-1, 3] } },
    outputs: { a: { name: y, dtype: 'float32', shape }, b: { name: z, dtype: 'float32', shape } },
  }).build();
}
