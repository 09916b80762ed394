import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { attrValue, GraphBuilder, initBackend, OptionsError, QUANTIZATION_SUMMARY_KEY, silentLogger, tensorRef, type Graph } from '@modelport/core';
import { describeTflite, loadTflitePredictor } from '@modelport/runtime-tflite';
import { PLUGIN_NAME } from '../src/index.js';
import { annotateFloat16 } from './annotate.js';
import { hooksWithExporter, writeContext } from './context.js';

/** x → conv → relu (serving_default: "probabilities"), and a named signature "features" returning the conv. */
function twoSignatureGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 6, 6, 2]);
  const w = b.constant('w', 'float32', [3, 3, 2, 4], Array.from({ length: 72 }, (_, i) => Math.sin(i)));
  b.node('conv', { op: 'Conv2D', inputs: [x, w], attrs: { strides: attrValue.ints([1, 1, 1, 1]), padding: attrValue.string('SAME'), dilations: attrValue.ints([1, 1, 1, 1]) } });
  b.node('relu', { op: 'Relu', inputs: ['conv:0'] });
  b.outputs(tensorRef('relu'));
  const input = { x: { name: 'x:0', dtype: 'float32', shape: [-1, 6, 6, 2] } };
  b.signature('serving_default', { inputs: input, outputs: { probabilities: { name: 'relu:0', dtype: 'float32', shape: [-1, 6, 6, 4] } } });
  b.signature('features', { inputs: input, outputs: { conv: { name: 'conv:0', dtype: 'float32', shape: [-1, 6, 6, 4] } } });
  b.meta({ source: { format: 'tfjs-graph-model', file: '/models/tiny/model.json' } });
  return b.build();
}

describe('exporter-tflite: the writeArtifact tap', () => {
  before(() => initBackend());

  it('writes model.tflite atomically and returns the artifact record', async () => {
    const ctx = await writeContext();
    const record = await hooksWithExporter().writeArtifact.for('tflite').promise(twoSignatureGraph(), ctx);
    expect(record).to.deep.include({ target: 'tflite', format: 'tflite', plugin: PLUGIN_NAME, path: 'model.tflite', files: ['model.tflite'] });
    expect(await fs.readdir(ctx.dir)).to.deep.equal(['model.tflite']);
    const bytes = new Uint8Array(await fs.readFile(path.join(ctx.dir, 'model.tflite')));
    expect(Buffer.from(bytes.subarray(4, 8)).toString()).to.equal('TFL3');
    expect(record!.details).to.deep.equal({ ops: ['CONV_2D'], tensors: describeTflite(bytes).tensors, size: bytes.byteLength });
    expect(ctx.export.notes.join()).to.match(/batch size pinned to 1/);
    await fs.rm(ctx.dir, { recursive: true });
  });

  it('keeps serving_default and named signatures, each runnable by key', async () => {
    const ctx = await writeContext();
    await hooksWithExporter().writeArtifact.for('tflite').promise(twoSignatureGraph(), ctx);
    const file = path.join(ctx.dir, 'model.tflite');
    const description = describeTflite(new Uint8Array(await fs.readFile(file)));
    expect(Object.keys(description.signatures)).to.deep.equal(['serving_default', 'features']);
    expect(description.signatures.serving_default!.inputs.x).to.deep.equal({ dtype: 'float32', shape: [1, 6, 6, 2], declaredShape: [-1, 6, 6, 2] });
    expect(description.schemaVersion).to.equal(3);
    expect(description.description).to.match(/^modelport .* \(@modelport\/exporter-tflite .*\) from tfjs-graph-model model\.json$/);
    expect(description.metadata).to.deep.equal(['modelport']);
    const predictor = await loadTflitePredictor(file, silentLogger);
    try {
      const x = { dtype: 'float32' as const, shape: [1, 6, 6, 2], data: Float32Array.from({ length: 72 }, (_, i) => Math.cos(i)) };
      const relu = (await predictor.predict({ x })).probabilities!.data as Float32Array;
      const conv = (await predictor.predict({ x }, 'features')).conv!.data as Float32Array;
      expect(Array.from(relu)).to.deep.equal(Array.from(conv, (v) => Math.max(0, v)));
    } finally {
      await predictor.dispose();
      await fs.rm(ctx.dir, { recursive: true });
    }
  });

  it('--quantize float16 stores the weights annotated float16 as float16 behind DEQUANTIZE', async () => {
    const ctx = await writeContext({ quantize: 'float16' });
    const record = await hooksWithExporter().writeArtifact.for('tflite').promise(annotateFloat16(twoSignatureGraph()), ctx);
    expect(record!.details!.ops).to.deep.equal(['DEQUANTIZE', 'CONV_2D']);
    const bytes = new Uint8Array(await fs.readFile(path.join(ctx.dir, 'model.tflite')));
    expect(describeTflite(bytes).ops).to.deep.include({ DEQUANTIZE: 2 }); // one per subgraph, the weight bytes shared
    expect(ctx.export.notes.join()).to.match(/float16/);
    await fs.rm(ctx.dir, { recursive: true });
  });

  it('refuses tfjs weight storage (uint8) and a mode no quantizer ran for, before writing', async () => {
    for (const [quantize, graph, message] of [['uint8', annotateFloat16(twoSignatureGraph()), /tfjs's weight storage/], ['int8', twoSignatureGraph(), /--quantize int8: the graph carries no quantization/]] as const) {
      const ctx = await writeContext({ quantize });
      const err = await hooksWithExporter().writeArtifact.for('tflite').promise(graph, ctx).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(OptionsError);
      expect((err as Error).message).to.match(message);
      expect(await fs.readdir(ctx.dir)).to.deep.equal([]);
      await fs.rm(ctx.dir, { recursive: true });
    }
  });

  it('writes the float file a quantizer that ran chose to leave float (its summary says so)', async () => {
    const ctx = await writeContext({ quantize: 'dynamic' });
    const graph = twoSignatureGraph();
    const summarized = { ...graph, metadata: { ...graph.metadata, [QUANTIZATION_SUMMARY_KEY]: { mode: 'dynamic', plugin: 'q', weights: { quantized: 0, kept: 1 } } } };
    const record = await hooksWithExporter().writeArtifact.for('tflite').promise(summarized, ctx);
    expect(record!.details!.ops).to.deep.equal(['CONV_2D']);
    await fs.rm(ctx.dir, { recursive: true });
  });

  it('honours targetOptions.tflite.fileName and rejects unknown options', async () => {
    const ctx = await writeContext({ targetOptions: { tflite: { fileName: 'tiny.tflite' } } });
    const record = await hooksWithExporter().writeArtifact.for('tflite').promise(twoSignatureGraph(), ctx);
    expect(record!.path).to.equal('tiny.tflite');
    const bad = await writeContext({ targetOptions: { tflite: { shards: 2 } } });
    const err = await hooksWithExporter().writeArtifact.for('tflite').promise(twoSignatureGraph(), bad).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).to.match(/unknown option "shards"/);
    await fs.rm(ctx.dir, { recursive: true });
    await fs.rm(bad.dir, { recursive: true });
  });
});
