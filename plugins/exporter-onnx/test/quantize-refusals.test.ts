import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices, createContainer, QUANTIZATION_SUMMARY_KEY, UnsupportedOpsError,
  type ExportContext, type Graph, type Node, type QuantizeMode, type WriteArtifactContext,
} from '@modelport/core';
import { exporterOnnx } from '../src/index.js';
import { a, TinyGraph } from './helpers/build.js';

async function writeThroughPlugin(graph: Graph, dir: string, quantize: QuantizeMode) {
  const container = createContainer();
  const { hooks, host } = coreServices(container);
  await host.apply(exporterOnnx, {});
  const ctx = { options: { targets: ['onnx'], out: dir, validate: false, quantize }, notes: [], data: new Map() } as unknown as ExportContext;
  const wctx: WriteArtifactContext = { export: ctx, target: 'onnx', dir };
  return hooks.writeArtifact.for('onnx').promise(graph, wctx);
}

const int8 = (scale: number, zeroPoint: number) => ({ dtype: 'int8' as const, scale: [scale], zeroPoint: [zeroPoint] });
const out = (q: ReturnType<typeof int8>) => [{ dtype: 'float32', shape: null, quantization: q }];

/** Marks nodes as a quantizer would, by name. */
function mark(graph: Graph, changes: Record<string, Partial<Node>>): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (changes[n.name] ? { ...n, ...changes[n.name] } as Node : n)) };
}

describe('exporter-onnx: quantization it cannot write', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-onnx-q-err-')); });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('lists every annotation it cannot write in one error naming the mode and the target, and writes nothing', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 4, 4, 2]);
    const w = g.weight([3, 3, 2, 3]);
    const conv = g.op('_FusedConv2D', [x, w, g.weight([3])], {
      padding: a.string('SAME'), strides: a.ints([1, 1, 1, 1]), data_format: a.string('NHWC'), fused_ops: a.strings(['BiasAdd', 'Elu']), num_args: a.int(1),
    }, 'elu_conv');
    const e = g.op('Exp', [conv], {}, 'exp');
    const r = g.op('Relu', [e], {}, 'relu');
    const m = g.op('Mul', [r, g.weight([3])], {}, 'mul');
    let graph = g.build(m);
    graph = mark(graph, {
      x: { outputs: out(int8(0.01, 0)) },
      elu_conv: { quantized: 'int8', outputs: out(int8(0.02, -10)) },
      exp: { quantized: 'int8', outputs: out(int8(0.05, -128)) },
      relu: { quantized: 'int8' },
    });
    const constants = new Map(graph.constants);
    // The filter as an int8 quantizer stores it; the bias left float; the Mul operand int16.
    constants.set('w0', { ...constants.get('w0')!, quantization: { dtype: 'int8', scale: [0.1, 0.1, 0.1], zeroPoint: [0, 0, 0], axis: 3 } });
    constants.set('w2', { ...constants.get('w2')!, quantization: { dtype: 'int16', scale: [0.001], zeroPoint: [0] } });
    graph = { ...graph, constants, metadata: { [QUANTIZATION_SUMMARY_KEY]: { mode: 'int8' } } };

    const err = await writeThroughPlugin(graph, dir, 'int8').then(() => undefined, (x: Error & { cause?: unknown }) => x);
    expect(err).to.be.instanceOf(Error);
    const message = err!.message;
    expect(message).to.contain('onnx (--quantize int8)');
    expect(err!.cause).to.be.instanceOf(UnsupportedOpsError);
    // The fused Elu, the op with no int8 rule, the missing output parameters and the int16 storage, at once.
    expect(message).to.match(/"elu_conv" \(_FusedConv2D: int8 with fused activation Elu/);
    expect(message).to.match(/"elu_conv" \(_FusedConv2D: [^"]*; bias \(input 2\) is not an int32 Const\)/);
    expect(message).to.not.match(/weight \(input 1\)/);
    expect(message).to.match(/"exp" \(Exp: int8 \(no int8 rule for this op\)\)/);
    expect(message).to.match(/"relu" \(Relu: output 0 has no quantization\)/);
    expect(message).to.match(/"w2" \(Const: int16 storage/);
    expect((err!.cause as UnsupportedOpsError).unsupported).to.have.length(4);
    expect(await fs.readdir(dir)).to.deep.equal([]);
  });

  it('refuses the tfjs-only weight modes by name', async () => {
    const g = new TinyGraph();
    const graph = g.build(g.op('Relu', [g.input('x', [2])]));
    const err = await writeThroughPlugin(graph, dir, 'uint8').then(() => undefined, (x: Error) => x);
    expect(err?.message).to.match(/--quantize uint8: target "onnx" cannot store tfjs's affine uint8 weights/);
    expect(await fs.readdir(dir)).to.deep.equal([]);
  });

  it('refuses to write a float file for a quantize mode when no quantizer annotated the graph', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 3]);
    const graph = g.build(g.op('MatMul', [x, g.weight([3, 4])]));
    const err = await writeThroughPlugin(graph, dir, 'dynamic').then(() => undefined, (x: Error) => x);
    expect(err?.message).to.match(/--quantize dynamic: target "onnx" got a graph no quantizer annotated/);
    // A quantizer that ran and chose nothing (its summary says so) gets its float file.
    const summarized = { ...graph, metadata: { [QUANTIZATION_SUMMARY_KEY]: { mode: 'dynamic' } } };
    const record = await writeThroughPlugin(summarized, dir, 'dynamic');
    expect(record?.path).to.equal('model.onnx');
  });
});
