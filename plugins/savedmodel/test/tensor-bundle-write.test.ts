import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConstantTensor } from '@modelport/core';
import { bundleDataFile, bundleIndexFile, decodeTensorBundle, encodeTensorBundle, readTensorBundle, writeTensorBundle } from '../src/index.js';
import { BUNDLE_FIXTURES, fixturePrefix, temporaryDirectory } from './bundle-fixtures.js';

const utf8 = new TextEncoder();

/** One tensor of every element type the IR has, including empty and scalar shapes. */
const EVERY_DTYPE: [string, ConstantTensor][] = [
  ['f32', { dtype: 'float32', shape: [2, 2], values: Float32Array.of(1.5, -2, 0, 3.25) }],
  ['f16', { dtype: 'float16', shape: [2], values: Uint16Array.of(0x3c00, 0xc000) }],
  ['f64', { dtype: 'float64', shape: [], values: Float64Array.of(Math.PI) }],
  ['i8', { dtype: 'int8', shape: [3], values: Int8Array.of(-128, 0, 127) }],
  ['i16', { dtype: 'int16', shape: [1], values: Int16Array.of(-300) }],
  ['i32', { dtype: 'int32', shape: [2], values: Int32Array.of(-7, 2147483647) }],
  ['i64', { dtype: 'int64', shape: [2], values: BigInt64Array.of(-(2n ** 40n), 2n ** 62n) }],
  ['u8', { dtype: 'uint8', shape: [2], values: Uint8Array.of(0, 255) }],
  ['u16', { dtype: 'uint16', shape: [1], values: Uint16Array.of(65535) }],
  ['u32', { dtype: 'uint32', shape: [1], values: Uint32Array.of(4294967295) }],
  ['flags', { dtype: 'bool', shape: [3], values: Uint8Array.of(1, 0, 1) }],
  ['c64', { dtype: 'complex64', shape: [1], values: Float32Array.of(1, -1) }],
  ['empty', { dtype: 'float32', shape: [0, 4], values: new Float32Array(0) }],
  ['words', { dtype: 'string', shape: [3], values: [utf8.encode('vocab'), new Uint8Array(0), new Uint8Array(200).fill(65)] }],
  ['no_words', { dtype: 'string', shape: [0], values: [] }],
];

describe('tensor bundle: writing', () => {
  for (const fixture of BUNDLE_FIXTURES) {
    it(`writes ${fixture}'s tensors back byte for byte as TensorFlow wrote them`, async () => {
      const prefix = fixturePrefix(fixture);
      const tensors = await readTensorBundle(prefix);
      const { dir, remove } = await temporaryDirectory();
      try {
        const out = join(dir, 'variables', 'variables');
        const written = await writeTensorBundle(out, tensors);
        expect(written.files).to.deep.equal([bundleIndexFile(out), bundleDataFile(out)]);
        for (const [ours, tfs] of [[bundleIndexFile(out), bundleIndexFile(prefix)], [bundleDataFile(out), bundleDataFile(prefix)]]) {
          const [a, b] = await Promise.all([readFile(ours), readFile(tfs)]);
          expect(Buffer.compare(a, b), `${tfs} differs`).to.equal(0);
        }
        expect(written.bytes).to.equal((await readFile(bundleIndexFile(prefix))).length + (await readFile(bundleDataFile(prefix))).length);
        // nothing left under a temporary name
        expect((await readdir(join(dir, 'variables'))).sort()).to.deep.equal(['variables.data-00000-of-00001', 'variables.index']);
      } finally {
        await remove();
      }
    });
  }

  it('encodes in memory the same bytes it writes', async () => {
    const tensors = await readTensorBundle(fixturePrefix('keras-export-cnn'));
    const { index, data } = encodeTensorBundle(tensors);
    expect(Buffer.compare(index, await readFile(bundleIndexFile(fixturePrefix('keras-export-cnn'))))).to.equal(0);
    expect(Buffer.compare(data, await readFile(bundleDataFile(fixturePrefix('keras-export-cnn'))))).to.equal(0);
  });

  it('round-trips every element type, empty and scalar shapes, and strings', async () => {
    const { dir, remove } = await temporaryDirectory();
    try {
      await writeTensorBundle(join(dir, 'v', 'variables'), EVERY_DTYPE);
      const back = await readTensorBundle(join(dir, 'v', 'variables'));
      expect([...back.keys()]).to.deep.equal(EVERY_DTYPE.map(([k]) => k));
      for (const [key, t] of EVERY_DTYPE) {
        const got = back.get(key)!;
        expect(got.dtype, key).to.equal(t.dtype);
        expect(got.shape, key).to.deep.equal(t.shape);
        expect(got.values.constructor, key).to.equal(t.values.constructor);
        const norm = (v: ConstantTensor['values']): unknown => (Array.isArray(v) ? v.map((s) => Array.from(s)) : Array.from(v as ArrayLike<unknown>));
        expect(norm(got.values), key).to.deep.equal(norm(t.values));
      }
    } finally {
      await remove();
    }
  });

  it('writes an empty string tensor as TensorFlow does: just the 4-byte length checksum', async () => {
    const { index, data } = encodeTensorBundle([['no_words', { dtype: 'string', shape: [0], values: [] }]]);
    // masked CRC-32C of nothing: mask(0) = 0xa282ead8, little-endian
    expect(Array.from(data)).to.deep.equal([0xd8, 0xea, 0x82, 0xa2]);
    expect((await decodeTensorBundle(index, data)).get('no_words')!.values).to.deep.equal([]);
  });

  it('refuses a tensor whose values do not fill its shape, naming it', async () => {
    const bad: [string, ConstantTensor][] = [['dense/kernel', { dtype: 'float32', shape: [2, 3], values: new Float32Array(5) }]];
    expect(() => encodeTensorBundle(bad)).to.throw(/tensor "dense\/kernel": shape \[2,3\] of float32 needs 24 bytes but its values hold 20/);
    const { dir, remove } = await temporaryDirectory();
    try {
      let error: unknown;
      await writeTensorBundle(join(dir, 'variables'), bad).catch((e: unknown) => { error = e; });
      expect(String(error)).to.match(/dense\/kernel/);
      expect(await readdir(dir), 'temporary files removed').to.deep.equal([]);
    } finally {
      await remove();
    }
  });

  it('writes a bundle of no tensors as an empty data file and an index of the header alone', async () => {
    const { index, data } = encodeTensorBundle([]);
    expect(data.length).to.equal(0);
    // data block: header entry (3 + 6 bytes) + one restart point (8) + trailer (5);
    // empty metaindex block (8 + 5); index block: entry "" → 2-byte handle (3 + 2) + 8 + 5; footer 48
    expect(index.length).to.equal((9 + 8 + 5) + (8 + 5) + (5 + 8 + 5) + 48);
    expect((await decodeTensorBundle(index, data)).size).to.equal(0);
  });

  it('refuses a duplicate name and the header\'s empty name', () => {
    const t: ConstantTensor = { dtype: 'int32', shape: [], values: Int32Array.of(1) };
    expect(() => encodeTensorBundle([['step', t], ['step', t]])).to.throw(/"step" is given twice/);
    expect(() => encodeTensorBundle([['', t]])).to.throw(/named ""/);
  });
});
