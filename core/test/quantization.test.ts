import { expect } from 'chai';
import {
  annotateDynamicRange, annotateInt8, asymmetricParams, collectTensorRanges, dequantizeValues, FullIntegerError, GraphBuilder, initBackend,
  INT8_OPS, quantizeValues, randomTensor, seededRandom, symmetricParams, type Graph, type Node, type TensorData,
} from '@modelport/core';
import { mapFnGraph, smallConvNet } from '@modelport/core/testing';

function samples(count: number): Record<string, TensorData>[] {
  const random = seededRandom(3);
  return Array.from({ length: count }, () => ({ image: randomTensor('float32', [1, 16, 16, 3], random) }));
}

const nodeOf = (g: Graph, name: string): Node => g.nodes.find((n) => n.name === name)!;

describe('affine quantization', () => {
  it('holds 0 exactly and keeps every value within half a step', () => {
    const q = asymmetricParams(0.2, 3.7);
    const values = Float32Array.from([0, 0.2, 1.234, 3.7]);
    const back = dequantizeValues(quantizeValues(values, [4], q), [4], q);
    expect(back[0]).to.equal(0);
    for (let i = 0; i < 4; i++) expect(Math.abs(back[i]! - values[i]!)).to.be.at.most(q.scale[0]! / 2 + 1e-7);
  });

  it('scales weights per channel symmetrically to ±127', () => {
    const q = symmetricParams(Float32Array.from([1, -4, 2, 0.5]), [2, 2], 1);
    expect(q.scale).to.deep.equal([2 / 127, 4 / 127]);
    expect(q.zeroPoint).to.deep.equal([0, 0]);
    expect(Array.from(quantizeValues(Float32Array.from([1, -4, 2, 0.5]), [2, 2], q))).to.deep.equal([64, -127, 127, 16]);
  });
});

describe('annotateInt8', () => {
  before(() => initBackend());

  it('marks every node of the small convnet int8 with the parameters its kernels need', async () => {
    const graph = smallConvNet();
    const ranges = await collectTensorRanges(graph, samples(4));
    const { graph: q, keptFloat, int8Nodes } = annotateInt8(graph, ranges);
    expect(keptFloat).to.deep.equal([]);
    expect(int8Nodes).to.equal(graph.nodes.filter((n) => INT8_OPS[n.op]).length);
    const input = nodeOf(q, 'x').outputs![0]!.quantization!;
    expect(input.dtype).to.equal('int8');
    const filter = q.constants.get('conv1/filter')!.quantization!;
    expect(filter.axis).to.equal(3);
    expect(filter.scale).to.have.length(8);
    const bias = q.constants.get('conv1/bias')!.quantization!;
    expect(bias.dtype).to.equal('int32');
    bias.scale.forEach((s, c) => expect(s).to.be.closeTo(input.scale[0]! * filter.scale[c]!, 1e-12));
    // MaxPool shares its input's scale; softmax has TFLite's fixed output parameters.
    expect(nodeOf(q, 'pool').outputs![0]!.quantization).to.deep.equal(nodeOf(q, 'dw').outputs![0]!.quantization);
    expect(nodeOf(q, 'probs').outputs![0]!.quantization).to.deep.include({ scale: [1 / 256], zeroPoint: [-128] });
    expect(q.constants.get('dw/filter')!.quantization!.axis).to.equal(2);
    expect(q.constants.get('fc/weights')!.quantization!.axis).to.equal(undefined);
    expect(graph.constants.get('conv1/filter')!.quantization, 'the source graph is untouched').to.equal(undefined);
  });

  it('keeps float the nodes it is told to, and says why', async () => {
    const graph = smallConvNet();
    const ranges = await collectTensorRanges(graph, samples(2));
    const { graph: q, keptFloat } = annotateInt8(graph, ranges, { keepFloat: (n) => (n.name === 'fc' ? '--keep-float' : undefined) });
    expect(nodeOf(q, 'fc').quantized).to.equal(undefined);
    expect(keptFloat).to.deep.equal([{ node: 'fc', op: '_FusedMatMul', reason: '--keep-float' }]);
    expect(nodeOf(q, 'probs').quantized).to.equal('int8');
  });

  it('int8-full gives uint8 edges with the zero point moved by 128', async () => {
    const graph = smallConvNet();
    const { graph: q } = annotateInt8(graph, await collectTensorRanges(graph, samples(2)), { full: true });
    const sig = q.signatures.serving_default!;
    const inner = nodeOf(q, 'x').outputs![0]!.quantization!;
    expect(sig.inputs.image!.dtype).to.equal('uint8');
    expect(sig.inputs.image!.quantization!.zeroPoint[0]).to.equal(inner.zeroPoint[0]! + 128);
    expect(sig.outputs.probs!.quantization).to.deep.include({ dtype: 'uint8', zeroPoint: [0] });
  });

  it('keeps requantization scales below 256 for an output of almost constant value', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 4, 4, 2]);
    // Weights of very different sizes per channel: channel 1's output is almost zero.
    const w = b.constant('w', 'float32', [1, 1, 2, 2], [1, 1e-7, 1, 1e-7]);
    const y = b.node('y', { op: 'Conv2D', inputs: [x, w], attrs: { T: { type: 'float32' }, strides: { list: { i: [1, 1, 1, 1] } }, dilations: { list: { i: [1, 1, 1, 1] } }, data_format: { s: 'NHWC' }, padding: { s: 'VALID' } } });
    const z = b.node('z', { op: 'StridedSlice', inputs: [y, b.constant('b', 'int32', [4], [0, 0, 0, 1]), b.constant('e', 'int32', [4], [1, 4, 4, 2]), b.constant('s', 'int32', [4], [1, 1, 1, 1])], attrs: { T: { type: 'float32' }, Index: { type: 'int32' } } });
    const t = b.node('t', { op: 'Relu', inputs: [z], attrs: { T: { type: 'float32' } } });
    const graph = b.outputs(t).build();
    const random = seededRandom(5);
    const { graph: q } = annotateInt8(graph, await collectTensorRanges(graph, [{ x: randomTensor('float32', [1, 4, 4, 2], random) }]));
    const scale = (name: string) => nodeOf(q, name).outputs![0]!.quantization!.scale[0]!;
    const filter = q.constants.get('w')!.quantization!;
    expect(scale('y')).to.be.at.least((scale('x') * Math.max(...filter.scale)) / 256);
    expect(scale('t') / scale('z')).to.be.at.least(1 / 256);
    expect(scale('z') / scale('t')).to.be.below(256);
  });

  it('keeps nodes inside a loop float, saying why, and calibrates the rest', async () => {
    const graph = mapFnGraph();
    const x: TensorData = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, -2, 3, 0.5, 0, -1]) };
    const { graph: q, keptFloat } = annotateInt8(graph, await collectTensorRanges(graph, [{ x }]));
    expect(keptFloat.map((k) => k.node).sort()).to.deep.equal(['sq', 'y']);
    expect(keptFloat[0]!.reason).to.match(/inside a loop/);
    expect(q.nodes.some((n) => n.quantized)).to.equal(false);
  });

  it('gives parameters to every output of a node that int8 nodes read, not only the first', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 4]);
    const u = b.node('u', { op: 'Unpack', inputs: [x], attrs: { T: { type: 'float32' }, num: { i: 2 }, axis: { i: 0 } } });
    const s = b.node('s', { op: 'AddV2', inputs: [u, 'u:1'], attrs: { T: { type: 'float32' } } });
    const graph = b.outputs(s).build();
    const { graph: q } = annotateInt8(graph, await collectTensorRanges(graph, [{ x: { dtype: 'float32', shape: [2, 4], data: Float32Array.from([1, 2, 3, 4, -5, -6, -7, -8]) } }]));
    const outputs = nodeOf(q, 'u').outputs!;
    expect(outputs).to.have.length(2);
    expect(outputs[1]!.quantization!.scale[0]).to.be.closeTo(8 / 255, 1e-9);
  });

  it('int8-full lists every node with no int8 form', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 4]);
    const e = b.node('exp', { op: 'Exp', inputs: [x], attrs: { T: { type: 'float32' } } });
    const r = b.node('relu', { op: 'Relu', inputs: [e], attrs: { T: { type: 'float32' } } });
    const s = b.node('sq', { op: 'Square', inputs: [r], attrs: { T: { type: 'float32' } } });
    const graph = b.outputs(s).build();
    const ranges = await collectTensorRanges(graph, [{ x: { dtype: 'float32', shape: [1, 4], data: Float32Array.from([0, 1, 2, 3]) } }]);
    expect(() => annotateInt8(graph, ranges, { full: true })).to.throw(FullIntegerError, /2 node\(s\).*"exp" \(Exp.*"sq" \(Square/);
  });
});

describe('annotateDynamicRange', () => {
  it('quantizes the weights of 1024 elements or more, per channel for convolutions', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 8, 8, 16]);
    const big = b.constant('big', 'float32', [3, 3, 16, 16], new Float32Array(2304).map((_, i) => Math.sin(i)));
    const small = b.constant('small', 'float32', [1, 1, 16, 4], new Float32Array(64).fill(0.5));
    const attrs = { T: { type: 'float32' }, strides: { list: { i: [1, 1, 1, 1] } }, padding: { s: 'SAME' } };
    const c1 = b.node('c1', { op: 'Conv2D', inputs: [x, big], attrs });
    const c2 = b.node('c2', { op: 'Conv2D', inputs: [c1, small], attrs });
    const { graph, quantized, kept } = annotateDynamicRange(b.outputs(c2).build());
    expect([quantized, kept]).to.deep.equal([1, 1]);
    expect(graph.constants.get('big')!.quantization).to.deep.include({ dtype: 'int8', axis: 3 });
    expect(graph.constants.get('small')!.quantization).to.equal(undefined);
  });
});
