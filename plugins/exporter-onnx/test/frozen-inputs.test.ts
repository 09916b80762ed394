import { expect } from 'chai';
import { freezeInputValues, GraphBuilder, type Graph } from '@modelport/core';
import { FROZEN_INPUTS_METADATA } from '../src/index.js';
import { random, roundTrip } from './helpers/roundtrip.js';

/** y = x · scale, with scale an input of unknown rank. */
function scaled(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 3]);
  const scale = b.input('scale', 'float32', null);
  return b.outputs(b.node('y', { op: 'Mul', inputs: [x, scale] })).signature('serving_default', {
    inputs: { x: { name: x, dtype: 'float32', shape: [1, 3] }, scale: { name: scale, dtype: 'float32', shape: null } },
    outputs: { y: { name: 'y:0', dtype: 'float32', shape: [1, 3] } },
  }).build();
}

describe('exporter-onnx: inputs frozen at export (--input-value)', () => {
  it('writes the frozen input as a constant, not a graph input, and records it in metadata_props', async () => {
    const x = random('float32', [1, 3]);
    const r = await roundTrip(freezeInputValues(scaled(), { scale: 3 }), { x });
    expect(r.comparisons.every((c) => c.ok), r.comparisons.map((c) => c.problem).join('; ')).to.equal(true);
    expect(Array.from(r.outputs.y!.data as Float32Array)).to.deep.equal(Array.from(x.data as Float32Array, (v) => Math.fround(v * 3)));
    expect(r.exported.model.graph.inputs.map((i) => i.name)).to.deep.equal(['x']);
    expect(JSON.parse(r.exported.model.metadata[FROZEN_INPUTS_METADATA]!)).to.deep.equal({
      serving_default: { scale: { name: 'scale:0', dtype: 'float32', shape: [], values: [3] } },
    });
    expect(Buffer.from(r.exported.bytes).includes(FROZEN_INPUTS_METADATA)).to.equal(true);
  });

  it('writes no such entry when nothing is frozen', async () => {
    const r = await roundTrip(scaled(), { x: random('float32', [1, 3]), scale: { dtype: 'float32', shape: [], data: Float32Array.of(2) } });
    expect(r.exported.model.metadata).to.not.have.property(FROZEN_INPUTS_METADATA);
  });
});
