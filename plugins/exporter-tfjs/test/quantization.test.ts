import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  attrValue, createHooks, dequantizeValues, float16ToFloat32Array, float32ToFloat16Array, GraphBuilder, initBackend,
  loadGraphModelFromMemory, OptionsError, TfjsModelRunner, quantizeValues, readTfjsModelFiles, silentLogger, SOURCE_WEIGHT_QUANTIZATION_KEY, symmetricParams,
  validateOptions, type ArtifactRecord, type ExportOptions, type Graph, type Quantization, type WriteArtifactContext,
} from '@modelport/core';
import { exporterTfjs, optionsSchema, type ExporterTfjsOptions } from '../src/index.js';

const wave = (n: number, a = 1) => Array.from({ length: n }, (_, i) => a * Math.sin(i * 1.3 + 0.2));

/** x [1, 8] → MatMul(kernel [8, 3]) → Add(shift), and a Conv2D branch whose filter may be per channel. */
function net(annotate: Record<string, Quantization> = {}, int8Nodes: string[] = []): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 8]);
  const dense = b.node('dense', { op: 'MatMul', inputs: [x, b.constant('kernel', 'float32', [8, 3], wave(24, 0.9))], attrs: { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) } });
  b.node('out', { op: 'AddV2', inputs: [dense, b.constant('shift', 'float32', [3], [0.5, -0.25, 0.125])] });
  const img = b.node('img', { op: 'Reshape', inputs: [x, b.constant('img/shape', 'int32', [4], [1, 2, 2, 2])] });
  b.node('conv', { op: 'Conv2D', inputs: [img, b.constant('filter', 'float32', [1, 1, 2, 4], wave(8, 0.5))], attrs: { strides: attrValue.ints([1, 1, 1, 1]), padding: attrValue.string('VALID'), dilations: attrValue.ints([1, 1, 1, 1]) } });
  b.outputs('out:0', 'conv:0');
  const g = b.build();
  const constants = new Map(g.constants);
  for (const [name, q] of Object.entries(annotate)) constants.set(name, { ...constants.get(name)!, quantization: q });
  const nodes = g.nodes.map((n) => (int8Nodes.includes(n.name) ? { ...n, quantized: 'int8' as const } : n));
  return { ...g, constants, nodes };
}

async function write(graph: Graph, options: Partial<ExportOptions> = {}) {
  const hooks = createHooks();
  exporterTfjs.apply(hooks, validateOptions<ExporterTfjsOptions>(optionsSchema, {}, 'options'), undefined as never);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-tfjs-quant-'));
  const exportOptions: ExportOptions = { targets: ['tfjs'], out: dir, validate: false, ...options };
  const ctx: WriteArtifactContext = { export: { request: { source: { format: 'tfjs' }, options: exportOptions }, options: exportOptions, logger: silentLogger, notes: [], data: new Map() }, target: 'tfjs', dir };
  const outcome: { record?: ArtifactRecord; error?: unknown } = await hooks.writeArtifact.for('tfjs').promise(graph, ctx).then((record) => ({ record }), (error: unknown) => ({ error }));
  return { ...outcome, ctx, dir, file: path.join(dir, 'tfjs', 'model.json') };
}

/** Runs the written model in tfjs (tf.loadGraphModel): row 0 of "dense" for x = [1, 0, …, 0]. */
async function firstDenseRow(file: string): Promise<Float32Array> {
  const files = await readTfjsModelFiles(file);
  const model = await loadGraphModelFromMemory(files.json, files.json.weightsManifest[0]!.weights as never, files.groups[0]!.bytes);
  const runner = new TfjsModelRunner(model);
  try {
    const x = { dtype: 'float32' as const, shape: [1, 8], data: Float32Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0)) };
    return (await runner.run({ x }, ['dense:0']))[0]!.data as Float32Array;
  } finally {
    runner.dispose();
  }
}

async function specsOf(file: string) {
  const files = await readTfjsModelFiles(file);
  return Object.fromEntries(files.json.weightsManifest[0]!.weights.map((w) => [w.name, w]));
}

describe('exporter-tfjs: weights stored as the graph\'s annotations say', () => {
  before(() => initBackend());

  it('float16 annotations: float16 storage, read back by tf.loadGraphModel as the float16 values', async () => {
    const half: Quantization = { dtype: 'float16', scale: [], zeroPoint: [] };
    const graph = net({ kernel: half, shift: half });
    const { file, dir, ctx, record } = await write(graph, { quantize: 'float16' });
    const specs = await specsOf(file);
    expect(specs.kernel!.quantization).to.deep.equal({ dtype: 'float16' });
    expect(specs.filter!.quantization).to.equal(undefined); // not annotated: float32
    expect(record!.details).to.deep.include({ quantization: 'float16', quantizedWeights: 2 });
    expect(ctx.export.notes).to.deep.equal(['tfjs: 2 weight(s) stored as float16']);
    const kernel = graph.constants.get('kernel')!.values as Float32Array;
    expect(Array.from(await firstDenseRow(file))).to.deep.equal(Array.from(float16ToFloat32Array(float32ToFloat16Array(kernel.subarray(0, 3)))));
    await fs.rm(dir, { recursive: true });
  });

  it('an int8 weight per tensor (dynamic): uint8 storage holding the same integers + 128, which tfjs reads as scale × q', async () => {
    const kernel = Float32Array.from(wave(24, 0.9));
    const q = symmetricParams(kernel, [8, 3], undefined);
    const { file, dir, ctx } = await write(net({ kernel: q }), { quantize: 'dynamic' });
    const files = await readTfjsModelFiles(file);
    const specs = await specsOf(file);
    const s = q.scale[0]!;
    expect(specs.kernel!.quantization).to.deep.equal({ dtype: 'uint8', scale: s, min: -128 * s });
    const int8 = quantizeValues(kernel, [8, 3], q);
    const start = files.json.weightsManifest[0]!.weights.findIndex((w) => w.name === 'kernel');
    expect(start).to.equal(0);
    expect(Array.from(files.groups[0]!.bytes.subarray(0, 24))).to.deep.equal(Array.from(int8, (v) => v + 128));
    expect(ctx.export.notes).to.deep.equal(['tfjs: 1 weight(s) stored as uint8 (int8 weights, the same integers with zero point + 128)']);
    // tf.loadGraphModel dequantizes it to the values the int8 weight stands for.
    const row = await firstDenseRow(file);
    const expected = dequantizeValues(int8, [8, 3], q).subarray(0, 3);
    for (let i = 0; i < 3; i++) expect(row[i]).to.be.closeTo(expected[i]!, 1e-7 * Math.max(1, Math.abs(expected[i]!)));
    await fs.rm(dir, { recursive: true });
  });

  it('int8 nodes and per-channel int8 weights: one error naming the mode, tfjs and every one of them, nothing written', async () => {
    const filter = Float32Array.from(wave(8, 0.5));
    const graph = net({ filter: symmetricParams(filter, [1, 1, 2, 4], 3), shift: { dtype: 'int32', scale: [0.001], zeroPoint: [0] } }, ['dense', 'conv']);
    const { error, dir } = await write(graph, { quantize: 'int8' });
    expect(error).to.be.instanceOf(OptionsError);
    const message = (error as Error).message;
    expect(message).to.match(/^--quantize int8: target "tfjs" cannot write 2 int8 node\(s\) "dense" \(MatMul\), "conv" \(Conv2D\) and 2 weight\(s\) /);
    expect(message).to.include('"filter" (int8 per channel (4 channels on axis 3))').and.include('"shift" (int32)');
    expect(message.split('\n')).to.have.length(1);
    expect(await fs.readdir(dir)).to.deep.equal([]);
    await fs.rm(dir, { recursive: true });
  });

  it('without --quantize: each weight keeps its source storage; with it, an unannotated weight is float32', async () => {
    const base = net();
    const graph = { ...base, metadata: { ...base.metadata, [SOURCE_WEIGHT_QUANTIZATION_KEY]: { shift: { dtype: 'float16' } } } };
    const plain = await write(graph);
    expect((await specsOf(plain.file)).shift!.quantization).to.deep.equal({ dtype: 'float16' });
    expect(plain.ctx.export.notes).to.deep.equal([]);
    const asked = await write(graph, { quantize: 'uint8' });
    expect((await specsOf(asked.file)).shift!.quantization).to.equal(undefined);
    await Promise.all([plain.dir, asked.dir].map((d) => fs.rm(d, { recursive: true })));
  });
});
