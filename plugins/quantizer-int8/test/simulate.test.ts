import { expect } from 'chai';
import {
  annotateInt8, asymmetricParams, collectTensorRanges, dequantizeValues, GraphBuilder, GraphExecutor, initBackend, quantizeValues,
  randomTensor, seededRandom, type Graph, type TensorData,
} from '@modelport/core';
import { smallConvNet } from '@modelport/core/testing';
import { calibrationInputs } from '../src/index.js';
import { fakeQuantGraph } from '../src/simulate/fake-quant-graph.js';
import { Simulator } from '../src/simulate/simulator.js';
import { quietLogger } from './helpers.js';

export function convNetSamples(count: number, seed = 3): Record<string, TensorData>[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({ image: randomTensor('float32', [1, 16, 16, 3], random) }));
}

describe('simulation of the quantized graph', () => {
  before(() => initBackend());

  it('quantizes and dequantizes an int8 activation as core\'s affine math does, and weights to their stored integers', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [6]);
    const w = b.constant('w', 'float32', [6], [0.013, -0.5, 0.25, 0.7, -0.33, 1]);
    const y = b.node('y', { op: 'Mul', inputs: [x, w], attrs: { T: { type: 'float32' } } });
    const graph: Graph = b.outputs(y).build();
    const qx = asymmetricParams(-1, 2);
    const qw = { dtype: 'int8' as const, scale: [1 / 127], zeroPoint: [0] };
    const qy = asymmetricParams(-1, 1);
    const annotated: Graph = {
      ...graph,
      constants: new Map([...graph.constants, ['w', { ...graph.constants.get('w')!, quantization: qw }]]),
      nodes: graph.nodes.map((n) => n.name === 'x' ? { ...n, outputs: [{ dtype: 'float32', shape: [6], quantization: qx }] }
        : n.name === 'y' ? { ...n, quantized: 'int8' as const, outputs: [{ dtype: 'float32', shape: [6], quantization: qy }] } : n),
    };
    const { graph: sim, int8Form } = fakeQuantGraph(annotated);
    expect([...int8Form.keys()]).to.deep.equal(['x:0', 'y:0']);
    const input = Float32Array.from([-3, -0.4, 0.01, 0.5, 1.234, 5]);
    const executor = await GraphExecutor.create(sim, quietLogger);
    const [out] = await executor.run({ x: { dtype: 'float32', shape: [6], data: input } });
    executor.dispose();
    const fq = (v: Float32Array, q: typeof qx) => dequantizeValues(quantizeValues(v, [v.length], q), [v.length], q);
    const weights = fq(Float32Array.from(graph.constants.get('w')!.values as Float32Array), qw);
    const xs = fq(input, qx);
    const expected = fq(Float32Array.from(xs, (v, i) => v * weights[i]!), qy);
    Array.from(out!.data as Float32Array).forEach((v, i) => expect(v).to.be.closeTo(expected[i]!, 1e-6));
    // Clamped at the ends: −3 → −1 and 5 → 2 before the product.
    expect(xs[0]).to.be.closeTo(-1, 1e-6);
  });

  it('reports each quantized tensor of the small convnet, worst first, and a cosine above 0.99', async () => {
    const graph = smallConvNet();
    const samples = convNetSamples(8);
    const { graph: annotated } = annotateInt8(graph, await collectTensorRanges(graph, samples));
    const simulator = await Simulator.create(graph, calibrationInputs(graph), quietLogger);
    try {
      const errors = await simulator.tensorErrors(annotated, samples);
      expect(errors.map((e) => e.tensor)).to.include.members(['x:0', 'conv1:0', 'dw:0', 'fc:0', 'probs:0']);
      for (let i = 1; i < errors.length; i++) expect(errors[i - 1]!.rmseOverScale).to.be.at.least(errors[i]!.rmseOverScale);
      // The input only suffers its own rounding: RMSE near 1/√12 of a step, never more than half a step.
      const input = errors.find((e) => e.tensor === 'x:0')!;
      expect(input.rmseOverScale).to.be.within(0.2, 0.35);
      expect(input.maxError).to.be.at.most(input.scale / 2 + 1e-6);
      const accuracy = await simulator.accuracy(annotated, convNetSamples(4, 11));
      expect(accuracy.cosine).to.be.above(0.99).and.below(1);
      expect(accuracy.top1).to.be.a('number');
    } finally {
      simulator.dispose();
    }
  });
});
