import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Predictor, TensorData } from '@modelport/core';
import { PAIR_SIGNATURE, wrapTextModel } from '../src/index.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'the', 'cat', 'sat', 'on', 'mat', '##s', '.', 'un', '##want', '##ed'];

/** A BERT-shaped model that returns what it was fed, to check the packing. */
function echoBert(length: number, dtype: 'int32' | 'int64', fed: Record<string, TensorData>[]): Predictor {
  const spec = (name: string) => ({ name: `${name}:0`, dtype, shape: [-1, length] });
  return {
    format: 'synthetic',
    signatures: {
      serving_default: {
        inputs: { input_word_ids: spec('input_word_ids'), input_mask: spec('input_mask'), input_type_ids: spec('input_type_ids') },
        outputs: { pooled_output: { name: 'pooled:0', dtype: 'float32', shape: [-1, 2] } },
      },
    },
    async predict(inputs) {
      fed.push({ ...inputs });
      const n = inputs.input_word_ids!.shape[0]!;
      return { pooled_output: { dtype: 'float32', shape: [n, 2], data: new Float32Array(n * 2) } };
    },
    async dispose() {},
  };
}

describe('text adapter', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-text-'));
    await fs.writeFile(path.join(dir, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));
  const context = () => ({ model: 'm', version: 1, dir, resolveFile: (f: string) => path.join(dir, f), logger: { debug() {}, info() {}, warn() {} } });

  it('tokenizes raw strings and packs them to the model\'s length and integer type', async () => {
    const fed: Record<string, TensorData>[] = [];
    const adapted = wrapTextModel(echoBert(8, 'int32', fed), { vocab: 'vocab.txt' }, context());
    expect(Object.keys(adapted.signatures.serving_default!.inputs)).to.deep.equal(['text']);
    const out = await adapted.predict({ text: { dtype: 'string', shape: [2], data: ['The cats sat.', 'Unwanted!'] } });
    expect(out.pooled_output!.shape).to.deep.equal([2, 2]);
    const ids = fed[0]!.input_word_ids!;
    expect(ids.dtype).to.equal('int32');
    expect(ids.shape).to.deep.equal([2, 8]);
    expect([...(ids.data as Int32Array)]).to.deep.equal([2, 4, 5, 9, 6, 10, 3, 0, 2, 11, 12, 13, 1, 3, 0, 0]);
    expect([...(fed[0]!.input_mask!.data as Int32Array)]).to.deep.equal([1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('packs text pairs with type ids, for int64 models too', async () => {
    const fed: Record<string, TensorData>[] = [];
    const adapted = wrapTextModel(echoBert(9, 'int64', fed), { vocab: 'vocab.txt' }, context());
    await adapted.predict({ text: { dtype: 'string', shape: [1], data: ['the cat'] }, text_pair: { dtype: 'string', shape: [1], data: ['on the mat'] } }, PAIR_SIGNATURE);
    expect(fed[0]!.input_word_ids!.data).to.deep.equal(BigInt64Array.from([2n, 4n, 5n, 3n, 7n, 4n, 8n, 3n, 0n]));
    expect(fed[0]!.input_type_ids!.data).to.deep.equal(BigInt64Array.from([0n, 0n, 0n, 0n, 1n, 1n, 1n, 1n, 0n]));
  });

  it('refuses what it cannot pack, saying what to set', async () => {
    expect(() => wrapTextModel(echoBert(8, 'int32', []), {}, context())).to.throw(/needs "vocab"/);
    expect(() => wrapTextModel(echoBert(8, 'int32', []), { vocab: 'vocab.txt', sequenceLength: 16 }, context())).to.throw(/length 8/);
    const adapted = wrapTextModel(echoBert(8, 'int32', []), { vocab: 'vocab.txt' }, context());
    let error: Error | undefined;
    try { await adapted.predict({ text: { dtype: 'float32', shape: [1], data: new Float32Array(1) } }); } catch (e) { error = e as Error; }
    expect(error?.name).to.equal('InvalidInputError');
  });
});
