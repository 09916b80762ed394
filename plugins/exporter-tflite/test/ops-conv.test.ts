import { expect } from 'chai';
import { attrValue, initBackend } from '@modelport/core';
import { describeFailures, exportAndCompare } from './run-both.js';
import { opGraph, windowAttrs, type OpCase } from './op-graph.js';

async function expectMatch(c: OpCase): Promise<readonly string[]> {
  const { comparisons, ops } = await exportAndCompare(opGraph(c));
  expect(comparisons.every((x) => x.ok), describeFailures(comparisons)).to.equal(true);
  return ops;
}

const fused = (ops: string[], numArgs: number) => ({ fused_ops: attrValue.strings(ops), num_args: attrValue.int(numArgs) });

describe('exporter-tflite: convolutions and pools in LiteRT.js', () => {
  before(() => initBackend());

  it('Conv2D SAME on odd sizes with stride 2 matches tfjs, filter stored OHWI', async () => {
    const ops = await expectMatch({ op: 'Conv2D', inputs: [{ feed: [1, 7, 9, 3] }, { constant: [3, 3, 3, 4] }], attrs: windowAttrs({ strides: [2, 2] }) });
    expect(ops).to.deep.equal(['CONV_2D']);
  });
  it('Conv2D VALID with a non-square kernel and unequal strides', () => expectMatch({ op: 'Conv2D', inputs: [{ feed: [1, 11, 10, 2] }, { constant: [2, 5, 2, 3] }], attrs: windowAttrs({ strides: [3, 2], padding: 'VALID' }) }));
  it('Conv2D with dilations 2 and SAME padding', () => expectMatch({ op: 'Conv2D', inputs: [{ feed: [1, 9, 8, 3] }, { constant: [3, 3, 3, 5] }], attrs: windowAttrs({ dilations: [2, 2] }) }));
  it('Conv2D EXPLICIT padding becomes PAD + VALID', async () => {
    const ops = await expectMatch({ op: 'Conv2D', inputs: [{ feed: [1, 6, 6, 2] }, { constant: [3, 3, 2, 2] }], attrs: windowAttrs({ padding: 'EXPLICIT', explicit: [0, 0, 1, 2, 2, 0, 0, 0] }) });
    expect(ops).to.include('PAD');
  });
  it('_FusedConv2D BiasAdd+Relu6 fuses the activation into CONV_2D', async () => {
    const ops = await expectMatch({ op: '_FusedConv2D', inputs: [{ feed: [1, 5, 5, 3] }, { constant: [3, 3, 3, 4] }, { constant: [4] }], attrs: { ...windowAttrs({}), ...fused(['BiasAdd', 'Relu6'], 1) } });
    expect(ops).to.deep.equal(['CONV_2D']);
  });
  it('_FusedConv2D BiasAdd+Prelu adds a PRELU', async () => {
    const ops = await expectMatch({ op: '_FusedConv2D', inputs: [{ feed: [1, 5, 5, 3] }, { constant: [1, 1, 3, 4] }, { constant: [4] }, { constant: [4] }], attrs: { ...windowAttrs({ padding: 'VALID' }), ...fused(['BiasAdd', 'Prelu'], 2) } });
    expect(ops).to.include('PRELU');
  });
  it('DepthwiseConv2dNative with multiplier 2, stride 2, SAME on odd sizes (1HWC filter)', () => expectMatch({ op: 'DepthwiseConv2dNative', inputs: [{ feed: [1, 7, 5, 3] }, { constant: [3, 3, 3, 2] }], attrs: windowAttrs({ strides: [2, 2] }) }));
  it('FusedDepthwiseConv2dNative with dilation 2, bias and Relu', () => expectMatch({ op: 'FusedDepthwiseConv2dNative', inputs: [{ feed: [1, 9, 9, 4] }, { constant: [3, 3, 4, 1] }, { constant: [4] }], attrs: { ...windowAttrs({ dilations: [2, 2] }), ...fused(['BiasAdd', 'Relu'], 1) } }));
  it('Conv2DBackpropInput (TRANSPOSE_CONV) with stride 2 to an odd output size', async () => {
    const ops = await expectMatch({ op: 'Conv2DBackpropInput', inputs: [{ constant: [4], dtype: 'int32', values: [1, 9, 7, 2] }, { constant: [3, 3, 2, 5] }, { feed: [1, 5, 4, 5] }], attrs: { ...windowAttrs({ strides: [2, 2] }), T: attrValue.dtype('float32') } });
    expect(ops).to.deep.equal(['TRANSPOSE_CONV']);
  });
  it('MaxPool SAME on odd sizes', () => expectMatch({ op: 'MaxPool', inputs: [{ feed: [1, 7, 9, 2] }], attrs: windowAttrs({ ksize: [3, 3], strides: [2, 2] }) }));
  it('AvgPool SAME leaves the padding out of the average, as TensorFlow does', () => expectMatch({ op: 'AvgPool', inputs: [{ feed: [1, 7, 6, 2] }], attrs: windowAttrs({ ksize: [3, 2], strides: [2, 3] }) }));
  it('AvgPool VALID', () => expectMatch({ op: 'AvgPool', inputs: [{ feed: [1, 8, 8, 3] }], attrs: windowAttrs({ ksize: [2, 2], strides: [2, 2], padding: 'VALID' }) }));
});

describe('exporter-tflite: matrix products in LiteRT.js', () => {
  before(() => initBackend());

  it('MatMul with a constant right side is FULLY_CONNECTED with [out, in] weights', async () => {
    const ops = await expectMatch({ op: 'MatMul', inputs: [{ feed: [3, 6] }, { constant: [6, 4] }], attrs: { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) } });
    expect(ops).to.deep.equal(['FULLY_CONNECTED']);
  });
  it('MatMul with transpose_b keeps the weights as they are', () => expectMatch({ op: 'MatMul', inputs: [{ feed: [2, 6] }, { constant: [4, 6] }], attrs: { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(true) } }));
  it('_FusedMatMul with bias and Relu', async () => {
    const ops = await expectMatch({ op: '_FusedMatMul', inputs: [{ feed: [2, 5] }, { constant: [5, 3] }, { constant: [3] }], attrs: { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false), ...fused(['BiasAdd', 'Relu'], 1) } });
    expect(ops).to.deep.equal(['FULLY_CONNECTED']);
  });
  it('MatMul of two run-time tensors is BATCH_MATMUL', async () => {
    const ops = await expectMatch({ op: 'MatMul', inputs: [{ feed: [3, 4] }, { feed: [5, 4] }], attrs: { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(true) } });
    expect(ops).to.deep.equal(['BATCH_MATMUL']);
  });
  it('BatchMatMulV2 with adj_y and a broadcast batch', () => expectMatch({ op: 'BatchMatMulV2', inputs: [{ feed: [2, 3, 4, 5] }, { feed: [1, 3, 6, 5] }], attrs: { adj_x: attrValue.bool(false), adj_y: attrValue.bool(true) } }));
});
