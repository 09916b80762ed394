import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices, createContainer, GraphError, UnsupportedOpsError, type ExportContext, type Graph, type WriteArtifactContext,
} from '@modelport/core';
import { exporterOnnx, exportOnnx } from '../src/index.js';
import { a, TinyGraph } from './helpers/build.js';

async function writeThroughPlugin(graph: Graph, dir: string) {
  const container = createContainer();
  const { hooks, host } = coreServices(container);
  await host.apply(exporterOnnx, {});
  const ctx = { options: { targets: ['onnx'], out: dir, validate: false }, notes: [], data: new Map() } as unknown as ExportContext;
  const wctx: WriteArtifactContext = { export: ctx, target: 'onnx', dir };
  return hooks.writeArtifact.for('onnx').promise(graph, wctx);
}

describe('exporter-onnx: bad input', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-onnx-err-')); });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('lists every node with an op outside the table at once, and writes nothing', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 2]);
    const y = g.op('FancyOp', [x], {}, 'fancy');
    const z = g.op('Relu', [y]);
    const w = g.op('OtherOp', [z], {}, 'other');
    const err = await writeThroughPlugin(g.build(w), dir).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/\[plugin @modelport\/exporter-onnx\] writeArtifact\[onnx\]: 2 node\(s\) use ops that ONNX cannot express: "fancy" \(FancyOp\), "other" \(OtherOp\)/);
    expect((err as Error & { cause?: unknown }).cause).to.be.instanceOf(UnsupportedOpsError);
    expect(await fs.readdir(dir)).to.deep.equal([]);
  });

  it('refuses a weight of a dtype ONNX lacks, naming node and op', () => {
    const g = new TinyGraph();
    const x = g.input('x', [2]);
    const graph = g.build(g.op('Mul', [x, g.const('float32', [2], [1, 2])]));
    const bad: Graph = { ...graph, constants: new Map([...graph.constants].map(([k, v]) => [k, { ...v, dtype: 'complex64' as const, values: new Float32Array(4) }])) };
    expect(() => exportOnnx(bad, { opset: 17, optimize: true })).to.throw(GraphError, /node "c0" \(Const\): weight of dtype complex64, which ONNX lacks/);
  });

  it('refuses inconsistent shapes, naming node and op, and writes nothing', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 3]);
    const r = g.op('Reshape', [x, g.const('int32', [1], [4])], {}, 'reshape');
    const err = await writeThroughPlugin(g.build(r), dir).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/node "reshape" \(Reshape\): cannot reshape 6 elements of \[2,3\] to \[4\]/);
    expect(await fs.readdir(dir)).to.deep.equal([]);
    const h = new TinyGraph();
    const s = h.op('AddV2', [h.input('x', [2, 3]), h.input('y', [4])], {}, 'add');
    expect(() => exportOnnx(h.build(s), { opset: 17, optimize: true })).to.throw(GraphError, /node "add" \(AddV2\): shapes \[2,3\] and \[4\] do not broadcast/);
  });

  it('writes model.onnx and reports nodes, ops, transposes and opset', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 4, 4, 2]);
    const y = g.op('Conv2D', [x, g.weight([1, 1, 2, 3])], { padding: a.string('SAME'), strides: a.ints([1, 1, 1, 1]) });
    const record = await writeThroughPlugin(g.build(y), dir);
    expect(record).to.deep.include({ target: 'onnx', format: 'onnx', plugin: '@modelport/exporter-onnx', path: 'model.onnx', files: ['model.onnx'] });
    expect(record?.details).to.deep.equal({ nodes: 1, ops: ['Conv2D'], transposes: 2, opset: 17 });
    expect(await fs.readdir(dir)).to.deep.equal(['model.onnx']);
  });
});
