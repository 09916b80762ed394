import { expect } from 'chai';
import { GraphExecutor, initBackend, validateOptions, type Graph, type TensorData, type TensorRef } from '@modelport/core';
import { exportOnnx, optionsSchema, PLUGIN_NAME, type WeightRange } from '../src/index.js';
import { annotatedDynamic, annotatedInt8 } from './helpers/annotate.js';
import { a, TinyGraph } from './helpers/build.js';
import { dequantizersOf } from './helpers/inspect.js';
import { runOrt } from './helpers/ort.js';
import { random } from './helpers/roundtrip.js';

async function floatOutput(graph: Graph, feeds: Record<string, TensorData>): Promise<Float32Array> {
  const executor = await GraphExecutor.create(graph);
  try { return (await executor.run(feeds))[0]!.data as Float32Array; } finally { executor.dispose(); }
}

/** The ONNX model's first output against the float reference: the largest relative error. */
async function maxErrorOf(bytes: Uint8Array, feeds: Record<string, TensorData>, float: ArrayLike<number>): Promise<number> {
  const run = await runOrt(bytes, feeds);
  return maxRelativeError(Object.values(run.outputs)[0]!.data as Float32Array, float);
}

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.abs(expected[i]!));
  return worst;
}

const conv = { padding: a.string('VALID'), strides: a.ints([1, 1, 1, 1]), dilations: a.ints([1, 1, 1, 1]), data_format: a.string('NHWC') };
const matmul = { transpose_a: a.bool(false), transpose_b: a.bool(false) };

/**
 * Inputs and weights all near the top of their ranges: every uint8 × int8 pair of products is
 * near 255 · 127 · 2, which an int16 sum without VNNI cannot hold (those kernels return about
 * 0.72 of the result); at 7 bits every pair fits.
 */
const PRODUCTS: Readonly<Record<string, { shape: number[]; build: (g: TinyGraph, x: TensorRef) => TensorRef; weight: string }>> = {
  Conv2D: { shape: [1, 4, 4, 16], build: (g, x) => g.op('Conv2D', [x, g.weight([3, 3, 16, 4], 0.9, 1)], conv), weight: 'w0' },
  MatMul: { shape: [2, 32], build: (g, x) => g.op('MatMul', [x, g.weight([32, 4], 0.9, 1)], matmul), weight: 'w0' },
};

function storedInts(bytesOf: ReturnType<typeof exportOnnx>, weight: string): number[] {
  const dq = dequantizersOf(bytesOf.model.graph, weight);
  expect(dq, `a DequantizeLinear of ${weight}`).to.have.length(1);
  return Array.from(bytesOf.model.graph.initializers.get(dq[0]!.inputs[0]!)!.data as ArrayLike<number>);
}

describe('exporter-onnx: weight range of integer products', () => {
  before(() => initBackend());

  for (const [op, spec] of Object.entries(PRODUCTS)) {
    it(`int8 ${op} near the top of both ranges stays within 1% of float (7-bit weights, |q| ≤ 64)`, async () => {
      const g = new TinyGraph();
      const graph = g.build(spec.build(g, g.input('x', spec.shape)));
      const feeds = { x: random('float32', spec.shape, 3, 0.1, 0.9) };
      const q = await annotatedInt8(graph, [feeds]);
      const e = exportOnnx(q, { opset: 17, optimize: true, quantize: 'int8' });
      const ints = storedInts(e, spec.weight);
      expect(Math.max(...ints.map(Math.abs))).to.be.within(63, 64);
      const float = await floatOutput(graph, feeds);
      const error = await maxErrorOf(e.bytes, feeds, float);
      // The same with 8-bit weights: what CPUs without VNNI make of it (printed, not asserted: VNNI CPUs get it right).
      const full = await maxErrorOf(exportOnnx(q, { opset: 17, optimize: true, quantize: 'int8', weightRange: 'full' }).bytes, feeds, float);
      console.log(`      int8 ${op} near the top of its ranges, max relative error vs float: 8-bit weights ${full.toFixed(3)}, 7-bit ${error.toFixed(4)}`);
      expect(error).to.be.below(0.01);
    });
  }

  it("weightRange 'full' stores the quantizer's 8-bit weights and scales as annotated", async () => {
    const { shape, build } = PRODUCTS.Conv2D!;
    const g = new TinyGraph();
    const graph = g.build(build(g, g.input('x', shape)));
    const q = await annotatedInt8(graph, [{ x: random('float32', shape, 3, 0.1, 0.9) }]);
    const ranges: WeightRange[] = ['full', 'reduced'];
    const [full, reduced] = ranges.map((weightRange) => exportOnnx(q, { opset: 17, optimize: true, quantize: 'int8', weightRange }));
    expect(Math.max(...storedInts(full!, 'w0').map(Math.abs))).to.equal(127);
    const scaleOf = (e: ReturnType<typeof exportOnnx>) => Array.from(e.model.graph.initializers.get(dequantizersOf(e.model.graph, 'w0')[0]!.inputs[1]!)!.data as Float32Array);
    expect(scaleOf(full!)).to.deep.equal(q.constants.get('w0')!.quantization!.scale.map(Math.fround));
    expect(scaleOf(reduced!)).to.deep.equal(q.constants.get('w0')!.quantization!.scale.map((s) => Math.fround(s * 2)));
  });

  it('keeps 8 bits for depthwise convolutions, whose kernel does not saturate', async () => {
    const g = new TinyGraph();
    const graph = g.build(g.op('DepthwiseConv2dNative', [g.input('x', [1, 4, 4, 16]), g.weight([3, 3, 16, 1], 0.9, 1)], conv));
    const feeds = { x: random('float32', [1, 4, 4, 16], 3, 0.1, 0.9) };
    const e = exportOnnx(await annotatedInt8(graph, [feeds]), { opset: 17, optimize: true, quantize: 'int8' });
    expect(Math.max(...storedInts(e, 'w0').map(Math.abs))).to.equal(127);
    const run = await runOrt(e.bytes, feeds);
    expect(maxRelativeError(run.outputs[e.model.graph.outputs[0]!.name]!.data as Float32Array, await floatOutput(graph, feeds))).to.be.below(0.01);
  });

  it("defaults targetOptions.onnx.weightRange to 'reduced' and refuses other values, naming the key", () => {
    expect(validateOptions<{ weightRange: WeightRange }>(optionsSchema, {}, 'targetOptions.onnx', { plugin: PLUGIN_NAME }).weightRange).to.equal('reduced');
    expect(() => validateOptions(optionsSchema, { weightRange: '7-bit' }, 'targetOptions.onnx', { plugin: PLUGIN_NAME }))
      .to.throw('[plugin @modelport/exporter-onnx] invalid targetOptions.onnx: "weightRange" must be one of "reduced", "full"');
  });

  it('dynamic: MatMulInteger weights near the top of the range stay within 1% of float', async () => {
    const { shape, build } = PRODUCTS.MatMul!;
    const g = new TinyGraph();
    const graph = g.build(build(g, g.input('x', shape)));
    const feeds = { x: random('float32', shape, 3, 0.1, 0.9) };
    const e = exportOnnx(annotatedDynamic(graph), { opset: 17, optimize: true, quantize: 'dynamic' });
    const integer = e.model.graph.nodes.find((n) => n.opType === 'MatMulInteger')!;
    const ints = Array.from(e.model.graph.initializers.get(integer.inputs[1]!)!.data as ArrayLike<number>);
    expect(Math.max(...ints.map(Math.abs))).to.be.within(63, 64);
    const float = await floatOutput(graph, feeds);
    const error = await maxErrorOf(e.bytes, feeds, float);
    const full = await maxErrorOf(exportOnnx(annotatedDynamic(graph), { opset: 17, optimize: true, quantize: 'dynamic', weightRange: 'full' }).bytes, feeds, float);
    console.log(`      dynamic MatMul near the top of its range, max relative error vs float: 8-bit weights ${full.toFixed(3)}, 7-bit ${error.toFixed(4)}`);
    expect(error).to.be.below(0.01);
  });
});
