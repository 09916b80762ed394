import { expect } from 'chai';
import { GraphExecutor, INT8_OPS, initBackend, type Graph, type TensorData, type TensorRef } from '@modelport/core';
import { exportOnnx } from '../src/index.js';
import { reduceWeightRange } from '../src/quantize/weight-range.js';
import { annotatedInt8 } from './helpers/annotate.js';
import { a, TinyGraph } from './helpers/build.js';
import { imageSamples, smallConvnet } from './helpers/convnet.js';
import { expectStoredWeight, sourceOf } from './helpers/inspect.js';
import { countOf, cosine, runOrt } from './helpers/ort.js';
import { random } from './helpers/roundtrip.js';

async function floatOutputs(graph: Graph, feeds: Record<string, TensorData>): Promise<TensorData[]> {
  const executor = await GraphExecutor.create(graph);
  try { return await executor.run(feeds); } finally { executor.dispose(); }
}

const HWIO_TO_OIHW = [3, 2, 0, 1];
const conv = { padding: a.string('SAME'), strides: a.ints([1, 1, 1, 1]), dilations: a.ints([1, 1, 1, 1]), data_format: a.string('NHWC') };
const pool = { ksize: a.ints([1, 2, 2, 1]), strides: a.ints([1, 2, 2, 1]), padding: a.string('VALID'), data_format: a.string('NHWC') };
const fused = (ops: string[]) => ({ fused_ops: a.strings(ops), num_args: a.int(1), epsilon: a.float(0) });

/** One small graph per INT8_OPS op: its input shape and how to build the op on it. */
const OP_GRAPHS: Readonly<Record<string, { shape: number[]; build: (g: TinyGraph, x: TensorRef) => TensorRef; tfjsLacks?: true }>> = {
  Conv2D: { shape: [1, 6, 6, 4], build: (g, x) => g.op('Conv2D', [x, g.weight([3, 3, 4, 5])], conv) },
  _FusedConv2D: { shape: [1, 6, 6, 4], build: (g, x) => g.op('_FusedConv2D', [x, g.weight([3, 3, 4, 5]), g.weight([5], -0.2, 0.2)], { ...conv, ...fused(['BiasAdd', 'Relu']) }) },
  DepthwiseConv2dNative: { shape: [1, 6, 6, 4], build: (g, x) => g.op('DepthwiseConv2dNative', [x, g.weight([3, 3, 4, 1])], conv) },
  FusedDepthwiseConv2dNative: { shape: [1, 6, 6, 4], build: (g, x) => g.op('FusedDepthwiseConv2dNative', [x, g.weight([3, 3, 4, 1]), g.weight([4], -0.2, 0.2)], { ...conv, ...fused(['BiasAdd', 'Relu6']) }) },
  MatMul: { shape: [3, 8], build: (g, x) => g.op('MatMul', [x, g.weight([8, 5])], { transpose_a: a.bool(false), transpose_b: a.bool(false) }) },
  _FusedMatMul: { shape: [3, 8], build: (g, x) => g.op('_FusedMatMul', [x, g.weight([5, 8]), g.weight([5], -0.2, 0.2)], { transpose_a: a.bool(false), transpose_b: a.bool(true), ...fused(['BiasAdd', 'Relu']) }) },
  Add: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Add', [x, g.weight([4])]) },
  AddV2: { shape: [1, 4, 4, 4], build: (g, x) => g.op('AddV2', [x, g.op('Relu', [x])]) },
  BiasAdd: { shape: [1, 4, 4, 4], build: (g, x) => g.op('BiasAdd', [x, g.weight([4], -0.3, 0.3)], { data_format: a.string('NHWC') }) },
  Sub: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Sub', [x, g.weight([4])]) },
  Mul: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Mul', [x, g.weight([4], 0.5, 2)]) },
  Relu: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Relu', [x]) },
  Relu6: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Relu6', [x]) },
  LeakyRelu: { shape: [1, 4, 4, 4], build: (g, x) => g.op('LeakyRelu', [x], { alpha: a.float(0.2) }) },
  Mean: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Mean', [x, g.const('int32', [2], [1, 2])], { keep_dims: a.bool(false) }) },
  Sigmoid: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Sigmoid', [x]) },
  Softmax: { shape: [3, 8], build: (g, x) => g.op('Softmax', [x]) },
  Tanh: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Tanh', [x]) },
  ConcatV2: { shape: [1, 4, 4, 4], build: (g, x) => g.op('ConcatV2', [x, g.op('Relu', [x]), g.const('int32', [], [-1])], { N: a.int(2) }) },
  MaxPool: { shape: [1, 4, 4, 4], build: (g, x) => g.op('MaxPool', [x], pool) },
  AvgPool: { shape: [1, 4, 4, 4], build: (g, x) => g.op('AvgPool', [x], pool) },
  Reshape: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Reshape', [x, g.const('int32', [2], [1, -1])]) },
  Squeeze: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Squeeze', [x], { squeeze_dims: a.ints([0]) }) },
  ExpandDims: { shape: [1, 4, 4, 4], build: (g, x) => g.op('ExpandDims', [x, g.const('int32', [], [0])]) },
  Transpose: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Transpose', [x, g.const('int32', [4], [0, 2, 1, 3])]) },
  Pad: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Pad', [x, g.const('int32', [4, 2], [0, 0, 1, 1, 1, 1, 0, 0])]) },
  StridedSlice: { shape: [1, 4, 4, 4], build: (g, x) => g.op('StridedSlice', [x, g.const('int32', [4], [0, 1, 1, 0]), g.const('int32', [4], [1, 3, 4, 4]), g.const('int32', [4], [1, 1, 2, 1])], {}) },
  Slice: { shape: [1, 4, 4, 4], build: (g, x) => g.op('Slice', [x, g.const('int32', [4], [0, 1, 1, 0]), g.const('int32', [4], [1, 2, 2, 4])]) },
  ResizeBilinear: { shape: [1, 4, 4, 4], build: (g, x) => g.op('ResizeBilinear', [x, g.const('int32', [2], [8, 8])], { align_corners: a.bool(false), half_pixel_centers: a.bool(true) }) },
  ResizeNearestNeighbor: { shape: [1, 4, 4, 4], build: (g, x) => g.op('ResizeNearestNeighbor', [x, g.const('int32', [2], [8, 8])], { align_corners: a.bool(false), half_pixel_centers: a.bool(true) }) },
  DepthToSpace: { shape: [1, 4, 4, 4], build: (g, x) => g.op('DepthToSpace', [x], { block_size: a.int(2), data_format: a.string('NHWC') }) },
  SpaceToDepth: { shape: [1, 4, 4, 4], build: (g, x) => g.op('SpaceToDepth', [x], { block_size: a.int(2), data_format: a.string('NHWC') }), tfjsLacks: true },
};

describe('exporter-onnx: --quantize int8 (QDQ)', () => {
  before(() => initBackend());

  it('writes a small convnet that onnxruntime fuses into QLinear ops, close to the float graph and faster', async () => {
    const graph = smallConvnet(64, 32);
    const q = await annotatedInt8(graph, imageSamples(8, 64));
    const int8 = exportOnnx(q, { opset: 17, optimize: true, quantize: 'int8' });
    const float = exportOnnx(graph, { opset: 17, optimize: true });
    const onnx = int8.model.graph;

    // Weights: int8 as annotated, per output channel on ONNX's axis 0 (Conv2D HWIO axis 3, depthwise [H, W, C, 1] axis 2);
    // those of convolutions and matrix products at 7 bits (twice the scale), and their biases with them.
    const stored = reduceWeightRange(q);
    expectStoredWeight(onnx, stored, 'w0', HWIO_TO_OIHW, 0);
    expectStoredWeight(onnx, stored, 'w2', [2, 3, 0, 1], 0);
    expectStoredWeight(onnx, stored, 'w6', HWIO_TO_OIHW, 0);
    expectStoredWeight(onnx, stored, 'w9', undefined, undefined); // the fully connected layer: per tensor
    expectStoredWeight(onnx, stored, 'w1', undefined, 0); // int32 bias, scale = input scale × weight scale
    expect(stored.constants.get('w0')!.quantization!.scale).to.deep.equal(q.constants.get('w0')!.quantization!.scale.map((s) => s * 2));
    expect(stored.constants.get('w1')!.quantization!.scale).to.deep.equal(q.constants.get('w1')!.quantization!.scale.map((s) => s * 2));
    expect(stored.constants.get('w2')!.quantization).to.deep.equal(q.constants.get('w2')!.quantization); // depthwise keeps 8 bits
    expect(q.constants.get('w1')!.quantization!.scale[3]).to.equal(q.nodes.find((n) => n.name === 'x')!.outputs![0]!.quantization!.scale[0]! * q.constants.get('w0')!.quantization!.scale[3]!);
    // No float weights left.
    expect([...onnx.initializers.values()].filter((t) => t.dtype === 'float32' && t.dims.length > 1)).to.deep.equal([]);
    // Each convolution reads its input through a DequantizeLinear and writes through a QuantizeLinear.
    for (const c of onnx.nodes.filter((n) => n.opType === 'Conv')) {
      expect(sourceOf(onnx, c.inputs[0]!)?.opType).to.equal('DequantizeLinear');
      const consumer = onnx.nodes.find((n) => n.inputs.includes(c.outputs[0]!));
      expect(['QuantizeLinear', 'Relu', 'Clip']).to.include(consumer?.opType);
    }

    const feeds = imageSamples(1, 64, 7)[0]!;
    const [reference] = await floatOutputs(graph, feeds);
    const f = await runOrt(float.bytes, feeds, 40);
    const i = await runOrt(int8.bytes, feeds, 40);
    const key = onnx.outputs[0]!.name;
    const cos = cosine(i.outputs[key]!.data as Float32Array, reference!.data as Float32Array);
    expect(cos).to.be.greaterThan(0.99);
    // onnxruntime fused every convolution (ReLU and ReLU6 dropped: their zero point is the range's minimum), the residual Add, the mean, the classifier and the softmax.
    expect(countOf(i.optimizedOps, 'QLinearConv')).to.equal(4);
    expect(i.optimizedOps).to.include.members(['QLinearAdd', 'QLinearGlobalAveragePool', 'QGemm', 'QLinearSoftmax']);
    // Nothing computes in float between the first QuantizeLinear and the last DequantizeLinear.
    expect(i.optimizedOps.filter((op) => ['Conv', 'Add', 'ReduceMean', 'GlobalAveragePool', 'Gemm', 'MatMul', 'Softmax', 'MaxPool'].includes(op))).to.deep.equal([]);
    console.log(`      int8 convnet 64×64: ${float.bytes.length} → ${int8.bytes.length} bytes, cosine ${cos.toFixed(5)}, 1 thread: float ${f.medianMs.toFixed(3)} ms, int8 ${i.medianMs.toFixed(3)} ms; onnxruntime runs ${i.optimizedOps.join(' ')}`);
  });

  for (const [op, spec] of Object.entries(OP_GRAPHS)) {
    it(`writes ${op} in QDQ form: DequantizeLinear in, QuantizeLinear out, close to float`, async () => {
      const g = new TinyGraph();
      const x = g.input('x', spec.shape);
      const y = spec.build(g, x);
      const graph = g.build(y);
      const samples = [{ x: random('float32', spec.shape, 3, 2, -1) }];
      // tfjs has no SpaceToDepth kernel: its range is its input's, its reference the float ONNX model's.
      const q = await annotatedInt8(graph, samples, spec.tfjsLacks ? { tensors: ['x:0'] } : {});
      const node = q.nodes.find((n) => n.op === op)!;
      expect(node.quantized).to.equal('int8');
      const e = exportOnnx(q, { opset: 17, optimize: true, quantize: 'int8' });
      const onnx = e.model.graph;
      const own = onnx.nodes.filter((n) => n.name.startsWith(`${node.name}/`));
      expect(own.some((n) => n.opType === 'QuantizeLinear'), 'its result is quantized').to.equal(true);
      const compute = own.filter((n) => !['QuantizeLinear', 'DequantizeLinear', 'Transpose', 'Reshape'].includes(n.opType));
      const reads = compute.flatMap((n) => n.inputs).filter((v) => v !== '' && !onnx.initializers.has(v)).map((v) => sourceOf(onnx, v)?.opType);
      if (compute.length) expect(reads, 'it reads dequantized values').to.include('DequantizeLinear');
      const run = await runOrt(e.bytes, samples[0]!);
      const [reference] = spec.tfjsLacks ? Object.values((await runOrt(exportOnnx(graph, { opset: 17, optimize: true }).bytes, samples[0]!)).outputs) : await floatOutputs(graph, samples[0]!);
      const out = run.outputs[onnx.outputs[0]!.name]!;
      expect(out.shape).to.deep.equal(reference!.shape);
      const cos = cosine(out.data as Float32Array, reference!.data as Float32Array);
      console.log(`      int8 ${op} in onnxruntime: cosine to float ${cos.toFixed(5)}`);
      expect(cos).to.be.greaterThan(0.99);
    });
  }

  it('writes no Relu, and leaves onnxruntime no requantization, where the op before it already clamps in its parameters', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 8, 8, 4]);
    const y = g.op('AddV2', [g.op('Conv2D', [x, g.weight([3, 3, 4, 4], -0.5, 0.5)], conv, 'c'), x], {}, 'add');
    const graph = g.build(g.op('Relu', [y], {}, 'relu'));
    const q = await annotatedInt8(graph, [11, 12, 13, 14].map((seed) => ({ x: random('float32', [1, 8, 8, 4], seed) })));
    expect(q.nodes.find((n) => n.name === 'add')!.outputs![0]!.quantization).to.deep.equal(q.nodes.find((n) => n.name === 'relu')!.outputs![0]!.quantization);
    const e = exportOnnx(q, { opset: 17, optimize: true, quantize: 'int8' });
    expect(e.model.graph.nodes.map((n) => n.opType)).to.not.include('Relu');
    const feeds = { x: random('float32', [1, 8, 8, 4], 3) };
    const run = await runOrt(e.bytes, feeds);
    expect(countOf(run.optimizedOps, 'QuantizeLinear')).to.equal(1);
    expect(cosine(run.outputs[e.model.graph.outputs[0]!.name]!.data as Float32Array, (await floatOutputs(graph, feeds))[0]!.data as Float32Array)).to.be.greaterThan(0.99);
  });

  it('covers every op of core INT8_OPS', () => {
    expect(Object.keys(OP_GRAPHS).sort()).to.deep.equal(Object.keys(INT8_OPS).sort());
  });

  for (const io of ['uint8', 'int8'] as const) {
    it(`takes and returns ${io} at integer edges (int8-full)`, async () => {
      const g = new TinyGraph();
      const x = g.input('x', [1, 8, 8, 3]);
      const y = g.op('_FusedConv2D', [x, g.weight([3, 3, 3, 4]), g.weight([4], -0.2, 0.2)], { ...conv, ...fused(['BiasAdd', 'Relu']) }, 'conv');
      g.b.signature('serving_default', {
        inputs: { x: { name: 'x:0', dtype: 'float32', shape: [1, 8, 8, 3] } },
        outputs: { y: { name: 'conv:0', dtype: 'float32', shape: [1, 8, 8, 4] } },
      });
      const graph = g.build(y);
      const samples = [{ x: random('float32', [1, 8, 8, 3], 5) }];
      const full = await annotatedInt8(graph, samples, { full: true, ioType: io });
      const inEdge = full.signatures.serving_default!.inputs.x!.quantization!;
      const outEdge = full.signatures.serving_default!.outputs.y!.quantization!;
      expect([inEdge.dtype, outEdge.dtype]).to.deep.equal([io, io]);
      const e = exportOnnx(full, { opset: 17, optimize: true, quantize: 'int8-full' });
      expect(e.model.graph.inputs[0]!.dtype).to.equal(io);
      expect(e.model.graph.outputs[0]!.dtype).to.equal(io);
      const real = samples[0]!.x.data as Float32Array;
      const zIn = inEdge.zeroPoint[0]!, sIn = inEdge.scale[0]!;
      const ints = Array.from(real, (v) => Math.min(io === 'uint8' ? 255 : 127, Math.max(io === 'uint8' ? 0 : -128, Math.round(v / sIn) + zIn)));
      const feed: TensorData = { dtype: io, shape: [1, 8, 8, 3], data: io === 'uint8' ? Uint8Array.from(ints) : Int8Array.from(ints) };
      const run = await runOrt(e.bytes, { x: feed });
      const out = run.outputs.y!;
      expect(out.dtype).to.equal(io);
      const dequantized = Array.from(out.data as ArrayLike<number>, (v) => outEdge.scale[0]! * (v - outEdge.zeroPoint[0]!));
      const [reference] = await floatOutputs(graph, samples[0]!);
      expect(cosine(dequantized, reference!.data as Float32Array)).to.be.greaterThan(0.99);
    });
  }
});
