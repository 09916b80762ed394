import { expect } from 'chai';
import { attrValue, compareTensors, initBackend, INT8_OPS, type AttrValue, type TensorData } from '@modelport/core';
import { annotateInt8, tensorRanges } from './annotate.js';
import { opGraph, windowAttrs, type OpCase } from './op-graph.js';
import { readQuantized } from './read-quantized.js';
import { exportAndRun, floatSamples, worstCosine } from './run-quantized.js';

const fused = (ops: string[]) => ({ fused_ops: attrValue.strings(ops), num_args: attrValue.int(1) });
const matmul = { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) };
const int32 = (shape: number[], values: number[]) => ({ constant: shape, dtype: 'int32' as const, values });
const image = { feed: [1, 6, 6, 3] };
const unary = (attrs: Record<string, AttrValue> = {}): OpCase => ({ op: '', inputs: [{ feed: [2, 10] }], attrs });

/** One small graph per op of core's INT8_OPS, in the variant a quantizer marks int8. */
const CASES: Readonly<Record<string, Omit<OpCase, 'op'>>> = {
  Conv2D: { inputs: [image, { constant: [3, 3, 3, 4] }], attrs: windowAttrs({ strides: [2, 2] }) },
  _FusedConv2D: { inputs: [image, { constant: [3, 3, 3, 4] }, { constant: [4] }], attrs: { ...windowAttrs({}), ...fused(['BiasAdd', 'Relu6']) } },
  DepthwiseConv2dNative: { inputs: [image, { constant: [3, 3, 3, 1] }], attrs: windowAttrs({}) },
  FusedDepthwiseConv2dNative: { inputs: [image, { constant: [3, 3, 3, 1] }, { constant: [3] }], attrs: { ...windowAttrs({ padding: 'VALID' }), ...fused(['BiasAdd', 'Relu']) } },
  MatMul: { inputs: [{ feed: [2, 12] }, { constant: [5, 12] }], attrs: { ...matmul, transpose_b: attrValue.bool(true) } },
  // Not transpose_b: tfjs's fused matmul with transpose_b computes wrong rows after the first (its results are the reference here).
  _FusedMatMul: { inputs: [{ feed: [2, 12] }, { constant: [12, 5] }, { constant: [5] }], attrs: { ...matmul, ...fused(['BiasAdd', 'Relu']) } },
  Add: { inputs: [image, { constant: [3] }] },
  AddV2: { inputs: [image, { feed: [1, 6, 6, 3] }] },
  BiasAdd: { inputs: [image, { constant: [3] }], attrs: { data_format: attrValue.string('NHWC') } },
  Sub: { inputs: [image, { constant: [3] }] },
  Mul: { inputs: [image, { feed: [1, 1, 1, 3] }] },
  Relu: unary(),
  Relu6: unary(),
  LeakyRelu: unary({ alpha: attrValue.float(0.1) }),
  Mean: { inputs: [image, int32([2], [1, 2])], attrs: { keep_dims: attrValue.bool(true) } },
  Sigmoid: unary(),
  Softmax: unary(),
  Tanh: unary(),
  ConcatV2: { inputs: [{ feed: [1, 4, 4, 2] }, { feed: [1, 4, 4, 3] }, int32([], [3])], attrs: { N: attrValue.int(2) } },
  MaxPool: { inputs: [image], attrs: windowAttrs({ ksize: [2, 2], strides: [2, 2] }) },
  AvgPool: { inputs: [image], attrs: windowAttrs({ ksize: [3, 3], strides: [1, 1], padding: 'VALID' }) },
  Reshape: { inputs: [image, int32([2], [1, 108])] },
  Squeeze: { inputs: [{ feed: [1, 1, 4, 3] }], attrs: { squeeze_dims: attrValue.ints([1]) } },
  ExpandDims: { inputs: [{ feed: [4, 3] }, int32([], [0])] },
  Transpose: { inputs: [{ feed: [1, 4, 5, 3] }, int32([4], [0, 2, 1, 3])] },
  Pad: { inputs: [image, int32([4, 2], [0, 0, 1, 1, 2, 0, 0, 0])] },
  StridedSlice: { inputs: [image, int32([4], [0, 1, 0, 0]), int32([4], [1, 5, 6, 3]), int32([4], [1, 2, 1, 1])] },
  Slice: { inputs: [image, int32([4], [0, 1, 1, 0]), int32([4], [1, 3, 4, 3])] },
  ResizeBilinear: { inputs: [image, int32([2], [9, 12])], attrs: { align_corners: attrValue.bool(false), half_pixel_centers: attrValue.bool(true) } },
  ResizeNearestNeighbor: { inputs: [image, int32([2], [12, 12])], attrs: { align_corners: attrValue.bool(false), half_pixel_centers: attrValue.bool(false) } },
  DepthToSpace: { inputs: [{ feed: [1, 2, 2, 8] }], attrs: { block_size: attrValue.int(2), data_format: attrValue.string('NHWC') } },
  SpaceToDepth: { inputs: [{ feed: [1, 4, 4, 2] }], attrs: { block_size: attrValue.int(2), data_format: attrValue.string('NHWC') } },
};

describe('exporter-tflite: every op of core INT8_OPS as int8 in LiteRT.js', () => {
  before(() => initBackend());

  it('has a case for every op of INT8_OPS', () => {
    expect(Object.keys(CASES).sort()).to.deep.equal(Object.keys(INT8_OPS).sort());
  });

  for (const op of Object.keys(INT8_OPS)) {
    it(`${op} runs on int8 kernels, close to float`, async () => {
      const graph = opGraph({ ...CASES[op]!, op });
      const samples = floatSamples(graph, 5);
      // tfjs has no SpaceToDepth: its output shares the input's parameters, and the reference is computed here.
      const tfjsRuns = op !== 'SpaceToDepth';
      const quantized = annotateInt8(graph, await tensorRanges(graph, samples.slice(0, 4), !tfjsRuns));
      expect(quantized.nodes.find((n) => n.name === 'op')!.quantized).to.equal('int8');
      const { bytes, outputs } = await exportAndRun(quantized, samples.slice(4), { quantize: 'int8' });
      const m = readQuantized(bytes);
      const kernels = m.operators.filter((o) => o.op !== 'QUANTIZE' && o.op !== 'DEQUANTIZE');
      expect(kernels.length, 'int8 kernels').to.be.greaterThan(0);
      for (const o of kernels) {
        expect(m.tensors[o.inputs[0]!]!.type, `${o.op} input`).to.equal('INT8');
        expect(m.tensors[o.outputs[0]!]!.type, `${o.op} output`).to.equal('INT8');
      }
      const cosine = tfjsRuns ? await worstCosine(graph, samples.slice(4), outputs, 'op')
        : compareTensors('op', outputs[0]!.op!, spaceToDepth(samples[4]!.x0!, 2), 1).cosine;
      expect(cosine).to.be.greaterThan(0.99);
    });
  }
});

/** NHWC SpaceToDepth: each block×block patch becomes the channels of one pixel (TensorFlow's order). */
function spaceToDepth(x: TensorData, block: number): TensorData {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const data = x.data as Float32Array;
  const out = new Float32Array(data.length);
  let k = 0;
  for (let b = 0; b < n; b++) for (let y = 0; y < h / block; y++) for (let xx = 0; xx < w / block; xx++) {
    for (let dy = 0; dy < block; dy++) for (let dx = 0; dx < block; dx++) for (let ch = 0; ch < c; ch++) {
      out[k++] = data[((b * h + y * block + dy) * w + xx * block + dx) * c + ch]!;
    }
  }
  return { dtype: 'float32', shape: [n, h / block, w / block, c * block * block], data: out };
}
