import { expect } from 'chai';
import { describeTflite } from '../src/index.js';
import { gatherAddModel } from './fixtures.js';

describe('runtime-tflite: describeTflite', () => {
  it('reads ops, tensors, signatures and size from the flatbuffer', () => {
    const bytes = gatherAddModel();
    const d = describeTflite(bytes);
    expect(d.ops).to.deep.equal({ GATHER: 2, ADD: 1 });
    expect(d.tensors).to.equal(10);
    expect(d.subgraphs).to.equal(2);
    expect(d.size).to.equal(bytes.byteLength);
    expect(d.schemaVersion).to.equal(3);
    expect(d.weightBytes).to.equal(8);
    expect(d.signatures).to.deep.equal({
      serving_default: { inputs: { x: { dtype: 'float32', shape: [4] }, indices: { dtype: 'int32', shape: [2] } }, outputs: { y: { dtype: 'float32', shape: [2] } } },
      gathered: { inputs: { x: { dtype: 'float32', shape: [4] }, indices: { dtype: 'int32', shape: [2] } }, outputs: { g: { dtype: 'float32', shape: [2] } } },
    });
  });
});
