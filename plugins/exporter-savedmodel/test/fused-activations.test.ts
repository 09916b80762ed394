import { expect } from 'chai';
import { compareTensors, GraphBuilder, GraphExecutor, randomTensor, seededRandom, type AttrValue, type Graph } from '@modelport/core';
import { lowerToTensorFlow } from '../src/lower/index.js';

const T = { type: 'float32' };
const list = (s: string[]): AttrValue => ({ list: { s } });

/** x [1, 6, 6, 4] → `op` (fused_ops `ops`) with seeded weights; y its output. */
function fusedGraph(op: '_FusedConv2D' | 'FusedDepthwiseConv2dNative' | '_FusedMatMul', ops: string[]): Graph {
  const random = seededRandom(7);
  const b = new GraphBuilder();
  const signed = (shape: number[]) => Float32Array.from(randomTensor('float32', shape, random).data as Float32Array, (v) => v * 2 - 1);
  const matmul = op === '_FusedMatMul';
  b.input('x', 'float32', matmul ? [3, 4] : [1, 6, 6, 4]);
  const wShape = matmul ? [4, 5] : op === '_FusedConv2D' ? [3, 3, 4, 5] : [3, 3, 4, 1];
  const channels = op === 'FusedDepthwiseConv2dNative' ? wShape[2]! * wShape[3]! : wShape[wShape.length - 1]!;
  b.constant('w', 'float32', wShape, signed(wShape));
  const extra: string[] = [];
  if (ops.includes('BiasAdd')) extra.push(b.constant('bias', 'float32', [channels], signed([channels])));
  if (ops.includes('Prelu')) extra.push(b.constant('alpha', 'float32', [channels], Float32Array.from({ length: channels }, (_v, i) => 0.1 * (i + 1))));
  const conv: Record<string, AttrValue> = matmul ? { transpose_a: { b: false }, transpose_b: { b: false } } : { strides: { list: { i: [1, 1, 1, 1] } }, padding: { s: 'SAME' }, data_format: { s: 'NHWC' }, dilations: { list: { i: [1, 1, 1, 1] } } };
  b.node('y', { op, inputs: ['x:0', 'w:0', ...extra], attrs: { T, ...conv, fused_ops: list(ops), num_args: { i: extra.length }, epsilon: { f: 0 }, leakyrelu_alpha: { f: 0.3 } } });
  return b.outputs('y:0').build();
}

async function expectLoweredEqual(source: Graph): Promise<void> {
  const lowered = lowerToTensorFlow(source);
  expect(lowered.nodes.map((n) => n.op)).to.not.include.members(['_FusedConv2D', 'FusedDepthwiseConv2dNative', '_FusedMatMul']);
  const x = source.nodes[0]!;
  const shape = (x.attrs.shape as { shape: number[] }).shape;
  const feeds = { x: { ...randomTensor('float32', shape, seededRandom(3)), data: Float32Array.from(randomTensor('float32', shape, seededRandom(3)).data as Float32Array, (v) => v * 4 - 2) } };
  const [a, b] = [await GraphExecutor.create(source), await GraphExecutor.create(lowered)];
  try {
    const [want] = await a.run(feeds);
    const [got] = await b.run(feeds);
    const c = compareTensors('y', got!, want!, 1e-5);
    expect(c.ok, c.problem).to.equal(true);
  } finally { a.dispose(); b.dispose(); }
}

describe('lowering fused ops: every activation tfjs fuses, run in tfjs against the fused source', () => {
  for (const op of ['_FusedConv2D', 'FusedDepthwiseConv2dNative', '_FusedMatMul'] as const) {
    for (const ops of [['BiasAdd'], ['BiasAdd', 'Relu'], ['BiasAdd', 'Relu6'], ['BiasAdd', 'Elu'], ['BiasAdd', 'Sigmoid'], ['BiasAdd', 'LeakyRelu'], ['BiasAdd', 'Prelu'], []]) {
      // tfjs reads no leakyrelu_alpha on FusedDepthwiseConv2dNative (its op list maps none): no reference to run against.
      if (op === 'FusedDepthwiseConv2dNative' && ops.includes('LeakyRelu')) continue;
      it(`${op} [${ops.join(', ')}]`, async () => expectLoweredEqual(fusedGraph(op, ops)));
    }
  }

  it('carries leakyrelu_alpha to LeakyRelu\'s alpha (depthwise too, where tfjs drops it)', () => {
    const lowered = lowerToTensorFlow(fusedGraph('FusedDepthwiseConv2dNative', ['BiasAdd', 'LeakyRelu']));
    const leaky = lowered.nodes.find((n) => n.op === 'LeakyRelu')!;
    expect(leaky.name).to.equal('y');
    expect((leaky.attrs.alpha as { f: number }).f).to.be.closeTo(0.3, 1e-7);
  });

  it('keeps the IR node\'s name on the node that produces its output, the others as <name>/<part>', () => {
    const lowered = lowerToTensorFlow(fusedGraph('_FusedConv2D', ['BiasAdd', 'Prelu']));
    const names = lowered.nodes.filter((n) => !['Placeholder', 'Const'].includes(n.op)).map((n) => `${n.name} ${n.op}`);
    expect(names).to.deep.equal(['y/Conv2D Conv2D', 'y/BiasAdd BiasAdd', 'y/positive Relu', 'y/negated Neg', 'y/negative Relu', 'y/scaled Mul', 'y Sub']);
  });
});
