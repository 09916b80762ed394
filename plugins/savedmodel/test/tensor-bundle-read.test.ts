import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConstantTensor } from '@modelport/core';
import { bundleDataFile, bundleIndexFile, decodeBundleIndex, encodeBundleIndex, encodeTensorBundle, messageType, readTensorBundle } from '../src/index.js';
import { FIXTURES, fixturePrefix, temporaryDirectory } from './bundle-fixtures.js';

interface NodeProto { name: string; attr?: Record<string, { tensor?: { tensorContent?: Uint8Array } }> }

/** The Const nodes' tensor_content of the fixture's saved_model.pb, decoded by the protobuf messages. */
function initialValue(model: string, node: string): Float32Array {
  const type = messageType('SavedModel');
  const saved = type.toObject(type.decode(readFileSync(join(FIXTURES, model, 'saved_model.pb'))), { bytes: Uint8Array }) as
    { metaGraphs: { graphDef: { node: NodeProto[] } }[] };
  const found = saved.metaGraphs[0].graphDef.node.find((n) => n.name === node);
  const content = found?.attr?.value?.tensor?.tensorContent;
  if (!content) throw new Error(`${model}: no tensor_content on ${node}`);
  return new Float32Array(Uint8Array.from(content).buffer);
}

function floats(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

const values = (t: ConstantTensor | undefined): Float32Array => t!.values as Float32Array;

describe('tensor bundle: reading TensorFlow\'s variables', () => {
  it('gives tf1-variables-mlp\'s variables their initial values from the graph', async () => {
    const tensors = await readTensorBundle(fixturePrefix('tf1-variables-mlp'));
    expect([...tensors.keys()]).to.deep.equal(['dense/bias', 'dense/kernel']);
    const kernel = tensors.get('dense/kernel')!;
    expect(kernel.dtype).to.equal('float32');
    expect(kernel.shape).to.deep.equal([5, 3]);
    expect(Array.from(values(kernel))).to.deep.equal(Array.from(initialValue('tf1-variables-mlp', 'dense/kernel/Initializer/initial_value')));
    expect(tensors.get('dense/bias')!.shape).to.deep.equal([3]);
    expect(Array.from(values(tensors.get('dense/bias')))).to.deep.equal(Array.from(initialValue('tf1-variables-mlp', 'dense/bias/Initializer/initial_value')));
  });

  it('reproduces TensorFlow\'s output of tf1-variables-mlp (softmax(x·kernel + bias)) from the read variables', async () => {
    const tensors = await readTensorBundle(fixturePrefix('tf1-variables-mlp'));
    const kernel = values(tensors.get('dense/kernel'));
    const bias = values(tensors.get('dense/bias'));
    const x = floats(join(FIXTURES, 'tf1-variables-mlp', 'in0.bin'));
    const expected = floats(join(FIXTURES, 'tf1-variables-mlp', 'out0.bin'));
    for (let row = 0; row < 4; row++) {
      const logits = [0, 1, 2].map((j) => bias[j] + [0, 1, 2, 3, 4].reduce((s, k) => s + x[row * 5 + k] * kernel[k * 3 + j], 0));
      const top = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - top));
      const sum = exps.reduce((a, b) => a + b, 0);
      exps.forEach((e, j) => expect(e / sum).to.be.closeTo(expected[row * 3 + j], 1e-6));
    }
  });

  it('reads a TF2 bundle in its data order, with the object graph as a scalar string', async () => {
    const tensors = await readTensorBundle(fixturePrefix('tf2-module-two-signatures'));
    expect([...tensors.keys()]).to.deep.equal(['w/.ATTRIBUTES/VARIABLE_VALUE', 'b/.ATTRIBUTES/VARIABLE_VALUE', '_CHECKPOINTABLE_OBJECT_GRAPH']);
    expect(tensors.get('w/.ATTRIBUTES/VARIABLE_VALUE')!.shape).to.deep.equal([6, 4]);
    const graph = tensors.get('_CHECKPOINTABLE_OBJECT_GRAPH')!;
    expect(graph.dtype).to.equal('string');
    expect(graph.shape).to.deep.equal([]);
    const strings = graph.values as Uint8Array[];
    expect(strings).to.have.length(1);
    expect(strings[0].length).to.equal(260);
    // the object graph names the checkpoint keys of the variables
    const text = Buffer.from(strings[0]).toString('latin1');
    expect(text).to.include('w/.ATTRIBUTES/VARIABLE_VALUE').and.to.include('b/.ATTRIBUTES/VARIABLE_VALUE');
  });

  it('reads Keras 3\'s export: 22 variables and the object graph', async () => {
    const tensors = await readTensorBundle(fixturePrefix('keras-export-cnn'));
    expect(tensors.size).to.equal(23);
    expect(tensors.get('variables/0/.ATTRIBUTES/VARIABLE_VALUE')!.shape).to.deep.equal([3, 3, 3, 6]);
    // Keras lists each variable twice, under variables/ and _all_variables/, with the same values
    expect(Array.from(values(tensors.get('_all_variables/6/.ATTRIBUTES/VARIABLE_VALUE'))))
      .to.deep.equal(Array.from(values(tensors.get('variables/0/.ATTRIBUTES/VARIABLE_VALUE'))));
    for (const t of tensors.values()) if (t.dtype === 'float32') expect(values(t).every(Number.isFinite)).to.equal(true);
  });

  it('reads a bundle sharded over two data files (as a sharded Saver merges them)', async () => {
    const first = encodeTensorBundle([['a/kernel', { dtype: 'float32', shape: [2], values: Float32Array.of(1, 2) }]]);
    const second = encodeTensorBundle([['b/step', { dtype: 'int64', shape: [], values: BigInt64Array.of(42n) }]]);
    const entries = [
      ...decodeBundleIndex(first.index, 'first').entries,
      ...decodeBundleIndex(second.index, 'second').entries.map((e) => ({ ...e, shardId: 1 })),
    ];
    const { dir, remove } = await temporaryDirectory();
    try {
      const prefix = join(dir, 'variables');
      await writeFile(bundleIndexFile(prefix), encodeBundleIndex(entries, 2));
      await writeFile(bundleDataFile(prefix, 0, 2), first.data);
      await writeFile(bundleDataFile(prefix, 1, 2), second.data);
      expect(bundleDataFile(prefix, 1, 2)).to.match(/variables\.data-00001-of-00002$/);
      const tensors = await readTensorBundle(prefix);
      expect(Array.from(values(tensors.get('a/kernel')))).to.deep.equal([1, 2]);
      expect(Array.from(tensors.get('b/step')!.values as BigInt64Array)).to.deep.equal([42n]);
    } finally {
      await remove();
    }
  });
});
