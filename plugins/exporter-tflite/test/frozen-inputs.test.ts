import { expect } from 'chai';
import { freezeInputValues, GraphBuilder, initBackend, type Graph } from '@modelport/core';
import { describeTflite } from '@modelport/runtime-tflite';
import { describeFailures, exportAndCompare, inputsFor } from './run-both.js';

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

describe('exporter-tflite: inputs frozen at export (--input-value)', () => {
  before(() => initBackend());

  it('needs no feed for the frozen input, matches tfjs, and keeps the value in the modelport metadata', async () => {
    const graph = freezeInputValues(scaled(), { scale: 3 });
    const run = await exportAndCompare(graph, {}, 1e-6, inputsFor(graph));
    expect(run.comparisons.every((c) => c.ok), describeFailures(run.comparisons)).to.equal(true);
    const sig = describeTflite(run.bytes).signatures.serving_default!;
    expect(Object.keys(sig.inputs)).to.deep.equal(['x']);
    expect(sig.frozenInputs).to.deep.equal({ scale: { name: 'scale:0', dtype: 'float32', shape: [], values: [3] } });
  });
});
