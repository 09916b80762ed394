import { expect } from 'chai';
import { accumulatingLoopGraph, condGraph, mapFnGraph } from '@modelport/core/testing';
import { countOps } from '../src/index.js';
import { expectClose, random, roundTrip, runOnnx } from './helpers/roundtrip.js';

describe('exporter-onnx: control flow', () => {
  it('turns a TF1 map_fn (while loop + TensorArrays) into an ONNX Loop with a scan output', async () => {
    const r = await roundTrip(mapFnGraph(), { x: random('float32', [4, 3]) });
    expectClose(r);
    expect(countOps(r.exported.model.graph, 'Loop')).to.equal(1);
    expect(r.reference[0]!.shape).to.deep.equal([4, 3]);
  });

  // tfjs cannot stack an empty TensorArray, so only onnxruntime runs this one.
  it('runs the loop zero times on an empty batch', async () => {
    const outputs = await runOnnx(mapFnGraph(), { x: random('float32', [0, 3]) });
    expect(Object.values(outputs)[0]!.shape[0]).to.equal(0);
  });

  it('carries loop state: acc += x · i for i < 5', async () => {
    expectClose(await roundTrip(accumulatingLoopGraph(), { x: random('float32', [2, 2]) }));
  });

  for (const value of [2, -2]) {
    it(`turns a TF1 cond (Switch/Merge) into an ONNX If; predicate ${value > 0 ? 'true' : 'false'}`, async () => {
      const r = await roundTrip(condGraph(), { x: random('float32', [3]), s: { dtype: 'float32', shape: [], data: Float32Array.from([value]) } });
      expectClose(r);
      expect(countOps(r.exported.model.graph, 'If')).to.equal(1);
    });
  }
});
