import { expect } from 'chai';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConstantTensor } from '@modelport/core';
import { bundleDataFile, readTensorBundle, writeTensorBundle } from '../src/index.js';
import { temporaryDirectory } from './bundle-fixtures.js';

describe('tensor bundle: a large model', () => {
  it('round-trips 50 MB of float32 weights beside small ones, and says how long it takes', async () => {
    const big = new Float32Array(50 * 1024 * 1024 / 4);
    for (let i = 0; i < big.length; i++) big[i] = Math.sin(i) * 1000;
    const small = Float32Array.from({ length: 1000 }, (_, i) => i / 7);
    const tensors: [string, ConstantTensor][] = [
      ['dense/kernel', { dtype: 'float32', shape: [big.length / 1024, 1024], values: big }],
      ['dense/bias', { dtype: 'float32', shape: [1000], values: small }],
    ];
    const { dir, remove } = await temporaryDirectory();
    try {
      const prefix = join(dir, 'variables', 'variables');
      let start = performance.now();
      const written = await writeTensorBundle(prefix, tensors);
      const writeMs = performance.now() - start;
      expect((await stat(bundleDataFile(prefix))).size).to.equal(big.byteLength + small.byteLength);
      start = performance.now();
      const back = await readTensorBundle(prefix);
      const readMs = performance.now() - start;
      console.log(`      50 MB float32 bundle (${written.bytes} bytes): write ${writeMs.toFixed(0)} ms, read ${readMs.toFixed(0)} ms`);
      const kernel = back.get('dense/kernel')!;
      const got = kernel.values as Float32Array;
      expect(kernel.shape).to.deep.equal([12800, 1024]);
      expect(Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.byteLength), Buffer.from(big.buffer))).to.equal(0);
      expect(Array.from(back.get('dense/bias')!.values as Float32Array)).to.deep.equal(Array.from(small));
    } finally {
      await remove();
    }
  });
});
