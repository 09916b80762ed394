import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compareTensors, coreServices, createContainer, defaultSignature, definePlugin, GraphExecutor, parseTensorRef, type Graph, type TensorData,
} from '@modelport/core';
import { runtimeOnnx } from '@modelport/runtime-onnx';
import onnxProto from 'onnx-proto';
import { exporterOnnx } from '../src/index.js';
import { annotatedDynamic } from './helpers/annotate.js';
import { a, TinyGraph } from './helpers/build.js';
import { random } from './helpers/roundtrip.js';

/** A graph with a serving signature whose keys differ from the node names, as converted models have. */
function signedGraph(): Graph {
  const g = new TinyGraph();
  const x = g.input('input_1', [-1, 6, 6, 2]);
  const y = g.op('_FusedConv2D', [x, g.weight([3, 3, 2, 4]), g.weight([4])], {
    padding: a.string('SAME'), strides: a.ints([1, 1, 1, 1]), dilations: a.ints([1, 1, 1, 1]), fused_ops: a.strings(['BiasAdd', 'Relu']), num_args: a.int(1),
  }, 'conv');
  const p = g.op('Mean', [y, g.const('int32', [2], [1, 2])], { keep_dims: a.bool(false) }, 'pool');
  g.b.signature('serving_default', {
    inputs: { image: { name: x, dtype: 'float32', shape: [-1, 6, 6, 2] } },
    outputs: { features: { name: y, dtype: 'float32', shape: [-1, 6, 6, 4] }, pooled: { name: p, dtype: 'float32', shape: [-1, 4] } },
  });
  return g.build(y, p);
}

describe('exporter-onnx: through the export pipeline', () => {
  let out: string;
  beforeEach(async () => { out = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-onnx-pipe-')); });
  afterEach(() => fs.rm(out, { recursive: true, force: true }));

  it('writes model.onnx into the version, named by the signature, and serves it for validation', async () => {
    const { host, pipeline } = coreServices(createContainer());
    const compared: Record<string, boolean> = {};
    const source = definePlugin({ name: 'test-source', version: '0.0.0', apply(h) { h.loadModel.for('memory').tapPromise('test-source', async () => signedGraph()); } });
    // What the validation plugin does: run the artifact by the source signature's keys, compare with tfjs.
    const check = definePlugin({
      name: 'test-check', version: '0.0.0',
      apply(h) {
        h.afterExport.tapPromise('test-check', async (result) => {
          const sig = defaultSignature(result.context.sourceGraph!);
          const artifact = result.artifacts.find((r) => r.format === 'onnx')!;
          const predictor = (await h.serve.for('onnx').promise({ format: 'onnx', path: path.join(result.dir, artifact.path), logger: result.context.logger }))!;
          const inputs: Record<string, TensorData> = { image: random('float32', [2, 6, 6, 2]) };
          const actual = await predictor.predict(inputs, 'serving_default');
          await predictor.dispose();
          const executor = await GraphExecutor.create(result.context.sourceGraph!);
          const keys = Object.keys(sig.outputs);
          const reference = await executor.run({ [parseTensorRef(sig.inputs.image!.name).node]: inputs.image! }, keys.map((k) => sig.outputs[k]!.name));
          executor.dispose();
          keys.forEach((k, i) => { compared[k] = compareTensors(k, actual[k]!, reference[i]!, 1e-4).ok; });
        });
      },
    });
    for (const p of [source, exporterOnnx, runtimeOnnx, check]) await host.apply(p, p === runtimeOnnx ? { intraOpNumThreads: 1 } : {});
    const summary = await pipeline.run({ source: { format: 'memory', name: 'tiny' }, options: { targets: ['onnx'], out, validate: true } });
    expect(compared).to.deep.equal({ features: true, pooled: true });
    expect(await fs.readdir(summary.dir)).to.have.members(['model.onnx', 'export.json']);
    const manifest = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8'));
    expect(manifest.targets[0]).to.deep.include({ target: 'onnx', format: 'onnx', plugin: '@modelport/exporter-onnx', path: 'model.onnx' });
    expect(manifest.files['model.onnx'].sha256).to.match(/^[0-9a-f]{64}$/);
    expect(summary.notes.some((n) => /^onnx: opset 17/.test(n))).to.equal(true);
  });

  it('takes the opset from targetOptions.onnx and refuses an opset onnxruntime cannot run', async () => {
    const { host, pipeline } = coreServices(createContainer());
    await host.apply(definePlugin({ name: 'test-source', version: '0.0.0', apply(h) { h.loadModel.for('memory').tapPromise('test-source', async () => signedGraph()); } }));
    await host.apply(exporterOnnx, {});
    const summary = await pipeline.run({ source: { format: 'memory', name: 'tiny' }, options: { targets: ['onnx'], out, validate: false, targetOptions: { onnx: { opset: 18 } } } });
    expect(summary.artifacts[0]!.details).to.deep.include({ opset: 18 });
    const err = await pipeline.run({ source: { format: 'memory', name: 'tiny' }, options: { targets: ['onnx'], out, validate: false, targetOptions: { onnx: { opset: 12 } } } }).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/opset.*must be >= 17/);
  });

  it('takes weightRange from targetOptions.onnx: int8 matrix weights at 7 bits by default, 8 with "full"', async () => {
    const g = new TinyGraph();
    const graph = annotatedDynamic(g.build(g.op('MatMul', [g.input('x', [2, 32]), g.weight([32, 4], 0.9, 1)], { transpose_a: a.bool(false), transpose_b: a.bool(false) })));
    const { host, pipeline } = coreServices(createContainer());
    await host.apply(definePlugin({ name: 'test-source', version: '0.0.0', apply(h) { h.loadModel.for('memory').tapPromise('test-source', async () => graph); } }));
    await host.apply(exporterOnnx, {});
    const largestWeight = async (targetOptions: Record<string, Record<string, unknown>>) => {
      const summary = await pipeline.run({ source: { format: 'memory', name: 'tiny' }, options: { targets: ['onnx'], out, validate: false, targetOptions } });
      const model = onnxProto.onnx.ModelProto.decode(await fs.readFile(path.join(summary.dir, 'model.onnx')));
      const weight = model.graph!.node!.find((n) => n.opType === 'MatMulInteger')!.input![1];
      const t = model.graph!.initializer!.find((i) => i.name === weight)!;
      const ints = t.rawData?.length ? new Int8Array(t.rawData.buffer, t.rawData.byteOffset, t.rawData.length) : Int8Array.from(t.int32Data ?? []);
      return Math.max(...Array.from(ints, Math.abs));
    };
    expect(await largestWeight({})).to.be.within(63, 64);
    expect(await largestWeight({ onnx: { weightRange: 'full' } })).to.equal(127);
  });
});
