import { expect } from 'chai';
import { GraphExecutor, initBackend, type Graph, type TensorData } from '@modelport/core';
import { countOps, exportOnnx } from '../src/index.js';
import { annotatedDynamic, annotatedInt8, annotateFloat16 } from './helpers/annotate.js';
import { a, TinyGraph } from './helpers/build.js';
import { imageSamples, smallConvnet } from './helpers/convnet.js';
import { expectScaledWeight } from './helpers/inspect.js';
import { countOf, cosine, runOrt } from './helpers/ort.js';
import { random } from './helpers/roundtrip.js';

async function floatOutput(graph: Graph, feeds: Record<string, TensorData>): Promise<Float32Array> {
  const executor = await GraphExecutor.create(graph);
  try { return (await executor.run(feeds))[0]!.data as Float32Array; } finally { executor.dispose(); }
}

const conv = { padding: a.string('SAME'), strides: a.ints([1, 1, 1, 1]), dilations: a.ints([1, 1, 1, 1]), data_format: a.string('NHWC') };

describe('exporter-onnx: --quantize float16 and dynamic', () => {
  before(() => initBackend());

  it('float16: stores annotated weights as float16 read through Cast, half the file, same results', async () => {
    const graph = smallConvnet(64, 32);
    const half = annotateFloat16(graph);
    const f16 = exportOnnx(half, { opset: 17, optimize: true, quantize: 'float16' });
    const f32 = exportOnnx(graph, { opset: 17, optimize: true });
    const onnx = f16.model.graph;
    const annotatedNames = [...half.constants].filter(([, c]) => c.quantization).map(([n]) => n);
    for (const name of annotatedNames) {
      const stored = [...onnx.initializers.values()].filter((t) => t.name === name || t.name.startsWith(`${name}/`));
      expect(stored.map((t) => t.dtype), name).to.deep.equal(['float16']);
      const reader = onnx.nodes.find((n) => n.inputs.includes(stored[0]!.name));
      expect(reader?.opType).to.equal('Cast');
    }
    expect([...onnx.initializers.values()].filter((t) => t.dtype === 'float32' && t.data.length >= 16)).to.deep.equal([]);
    const ratio = f16.bytes.length / f32.bytes.length;
    expect(ratio).to.be.within(0.45, 0.56);
    const feeds = imageSamples(1, 64, 3)[0]!;
    const r16 = await runOrt(f16.bytes, feeds, 40);
    const r32 = await runOrt(f32.bytes, feeds, 40);
    const reference = await floatOutput(graph, feeds);
    const cos = cosine(r16.outputs[onnx.outputs[0]!.name]!.data as Float32Array, reference);
    expect(cos).to.be.greaterThan(0.9999);
    // onnxruntime folds the Casts when the session loads: it runs the same graph as for the float32 file.
    expect(r16.optimizedOps).to.not.include('Cast');
    expect(r16.optimizedOps).to.deep.equal(r32.optimizedOps);
    console.log(`      float16 convnet: ${f32.bytes.length} → ${f16.bytes.length} bytes (${ratio.toFixed(3)}), cosine ${cos.toFixed(6)}, 1 thread: float32 ${r32.medianMs.toFixed(3)} ms, float16 weights ${r16.medianMs.toFixed(3)} ms`);
  });

  for (const mode of ['float16', 'int8'] as const) {
    it(`${mode}: constants stored as ${mode} (read through ${mode === 'float16' ? 'Cast' : 'DequantizeLinear'}) do not stop transposes from cancelling between convolutions`, async () => {
      const g = new TinyGraph();
      const x = g.input('x', [1, 8, 8, 4]);
      const c1 = g.op('Conv2D', [x, g.weight([3, 3, 4, 8])], conv);
      const scaled = g.op('Mul', [g.op('BiasAdd', [c1, g.weight([8])], { data_format: a.string('NHWC') }), g.weight([8], 0.5, 1.5)]);
      const graph = g.build(g.op('Conv2D', [scaled, g.weight([3, 3, 8, 4])], conv));
      const feeds = { x: random('float32', [1, 8, 8, 4], 4) };
      const q = mode === 'float16' ? annotateFloat16(graph, 1) : await annotatedInt8(graph, [feeds]);
      const e = exportOnnx(q, { opset: 17, optimize: true, quantize: mode });
      // The constants are permuted at export time: no Unsqueeze + Reshape in front of Add and Mul at run time.
      const ops = e.model.graph.nodes.map((n) => n.opType);
      expect(ops).to.not.include('Unsqueeze');
      expect(ops).to.not.include('Reshape');
      expect(countOps(e.model.graph, 'Transpose')).to.equal(countOps(exportOnnx(graph, { opset: 17, optimize: true }).model.graph, 'Transpose'));
      const run = await runOrt(e.bytes, feeds);
      const cos = cosine(run.outputs[e.model.graph.outputs[0]!.name]!.data as Float32Array, await floatOutput(graph, feeds));
      console.log(`      ${mode} conv chain in onnxruntime: cosine to float ${cos.toFixed(5)}`);
      expect(cos).to.be.greaterThan(mode === 'float16' ? 0.9999 : 0.99);
    });
  }

  it('dynamic: MatMul becomes DynamicQuantizeLinear + MatMulInteger, convolutions read int8 weights by Cast and Mul, which onnxruntime folds', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 16, 16, 8]);
    const c = g.op('Conv2D', [x, g.weight([3, 3, 8, 16], -0.3, 0.3)], conv, 'conv');
    const d = g.op('DepthwiseConv2dNative', [c, g.weight([3, 3, 16, 1], -0.5, 0.5)], conv, 'dw');
    const m = g.op('Mean', [d, g.const('int32', [2], [1, 2])], { keep_dims: a.bool(false) }, 'gap');
    const fc = g.op('_FusedMatMul', [m, g.weight([64, 16], -0.3, 0.3), g.weight([64], -0.1, 0.1)], {
      transpose_a: a.bool(false), transpose_b: a.bool(true), fused_ops: a.strings(['BiasAdd']), num_args: a.int(1), epsilon: a.float(0),
    }, 'fc');
    const graph = g.build(fc);
    const q = annotatedDynamic(graph);
    const e = exportOnnx(q, { opset: 17, optimize: true, quantize: 'dynamic' });
    const onnx = e.model.graph;
    const ops = onnx.nodes.map((n) => n.opType);
    expect(ops).to.include.members(['DynamicQuantizeLinear', 'MatMulInteger', 'Conv']);
    expect(ops).to.not.include('MatMul');
    // The MatMul weight: int8, per tensor, transposed at export time ([64, 16] → [16, 64]).
    const mm = onnx.nodes.find((n) => n.opType === 'MatMulInteger')!;
    const w = onnx.initializers.get(mm.inputs[1]!)!;
    expect([w.dtype, ...w.dims]).to.deep.equal(['int8', 16, 64]);
    // Convolution weights: per output channel on ONNX's axis 0.
    expectScaledWeight(onnx, q, 'w0', [3, 2, 0, 1], 0);
    expectScaledWeight(onnx, q, 'w1', [2, 3, 0, 1], 0);
    const feeds = { x: random('float32', [1, 16, 16, 8], 9) };
    const run = await runOrt(e.bytes, feeds);
    const cos = cosine(run.outputs[onnx.outputs[0]!.name]!.data as Float32Array, await floatOutput(graph, feeds));
    expect(cos).to.be.greaterThan(0.99);
    // onnxruntime fuses the chain into one kernel.
    expect(run.optimizedOps.some((op) => op === 'DynamicQuantizeMatMul' || op === 'MatMulIntegerToFloat')).to.equal(true);
    console.log(`      dynamic: cosine ${cos.toFixed(5)}; onnxruntime runs ${run.optimizedOps.join(' ')}`);
  });

});
