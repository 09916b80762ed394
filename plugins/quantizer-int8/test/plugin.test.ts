import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  createContainer, createHooks, GraphBuilder, initBackend, PluginError, PluginHost, QUANTIZATION_SUMMARY_KEY, seededRandom,
  type ExportOptions, type Graph, type QuantizationSummary,
} from '@modelport/core';
import { smallConvNet } from '@modelport/core/testing';
import quantizerDefault, { optionsSchema, PLUGIN_NAME, quantizerInt8Plugin, type QuantizationReport } from '../src/index.js';
import { exportContext, rejection, tempDir, writePng } from './helpers.js';

const require = createRequire(import.meta.url);

async function quantizeHook() {
  const hooks = createHooks();
  await new PluginHost(hooks, createContainer()).apply(quantizerInt8Plugin);
  return hooks.quantize;
}

const summaryOf = (g: Graph) => g.metadata[QUANTIZATION_SUMMARY_KEY] as QuantizationSummary;
const nodeOf = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!;

/** Photos stand-ins: smooth seeded colour fields, 20 × 20, resized to the convnet's 16 × 16. */
function writePhotos(dir: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const random = seededRandom(100 + i);
    const [a, b, c] = [random(), random(), random()];
    writePng(path.join(dir, `photo${i}.png`), 20, 20, (x, y) => [
      Math.round(255 * a * (x / 19)), Math.round(255 * b * (y / 19)), Math.round(255 * (c * 0.5 + 0.5 * random())),
    ]);
  }
}

describe('quantizerInt8Plugin', () => {
  let tmp: ReturnType<typeof tempDir>;
  let photos: string;
  before(async () => {
    await initBackend();
    tmp = tempDir();
    photos = path.join(tmp.dir, 'photos');
    writePhotos(photos, 10);
  });
  after(() => tmp.remove());
  const quantize = async (options: Partial<ExportOptions>, graph = smallConvNet()) => {
    const ctx = exportContext(options);
    return { graph: await (await quantizeHook()).promise(graph, ctx), ctx };
  };

  it('is the default export, with the package\'s name, version and options schema', async () => {
    expect(quantizerDefault).to.equal(quantizerInt8Plugin);
    expect(PLUGIN_NAME).to.equal('@modelport/quantizer-int8');
    expect(quantizerInt8Plugin.version).to.equal(require('../../package.json').version);
    expect(optionsSchema).to.deep.equal(require('../../options.schema.json'));
    expect((await quantizeHook()).taps.map((t) => t.name)).to.deep.equal([PLUGIN_NAME]);
  });

  it('passes the graph on unchanged for other modes', async () => {
    const graph = smallConvNet();
    for (const mode of [undefined, 'float16', 'uint8'] as const) {
      const { graph: out, ctx } = await quantize({ quantize: mode }, graph);
      expect(out).to.equal(graph);
      expect(ctx.notes).to.deep.equal([]);
    }
  });

  it('dynamic: annotates the large weights int8 and leaves nodes float, without calibration', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 64]);
    const random = seededRandom(2);
    const w = b.constant('dense/kernel', 'float32', [64, 32], Array.from({ length: 2048 }, () => random() - 0.5));
    const small = b.constant('small', 'float32', [32, 4], Array.from({ length: 128 }, () => random() - 0.5));
    const h = b.node('dense', { op: 'MatMul', inputs: [x, w], attrs: { T: { type: 'float32' }, transpose_a: { b: false }, transpose_b: { b: false } } });
    const graph = b.outputs(b.node('out', { op: 'MatMul', inputs: [h, small], attrs: { T: { type: 'float32' }, transpose_a: { b: false }, transpose_b: { b: false } } })).build();
    const { graph: out, ctx } = await quantize({ quantize: 'dynamic' }, graph);
    expect(out.constants.get('dense/kernel')!.quantization).to.include({ dtype: 'int8' });
    expect(out.constants.get('small')!.quantization).to.equal(undefined);
    expect(out.nodes.some((n) => n.quantized)).to.equal(false);
    expect(summaryOf(out)).to.deep.include({ mode: 'dynamic', plugin: PLUGIN_NAME, weights: { quantized: 1, kept: 1 } });
    expect(ctx.notes[0]).to.match(/dynamic: 1 weight\(s\) int8/);
  });

  it('int8: calibrates on a folder of pngs, annotates the convnet, reports layers worst first and a cosine above 0.99', async () => {
    const reportFile = path.join(tmp.dir, 'reports', 'int8.json');
    const { graph, ctx } = await quantize({ quantize: 'int8', calibrationData: photos, quantizeReport: reportFile });
    for (const name of ['conv1', 'dw', 'pool', 'conv2', 'fc', 'probs']) expect(nodeOf(graph, name).quantized, name).to.equal('int8');
    expect(graph.constants.get('conv1/filter')!.quantization).to.include({ dtype: 'int8', axis: 3 });
    expect(nodeOf(graph, 'x').outputs![0]!.quantization!.dtype).to.equal('int8');
    const summary = summaryOf(graph);
    expect(summary.calibration).to.deep.equal({ source: 'data', path: photos, samples: 8, heldOut: 2 });
    expect(summary.keptFloat).to.deep.equal([]);
    const layers = summary.layers!;
    expect(layers.length).to.be.at.least(8);
    for (let i = 1; i < layers.length; i++) expect(layers[i - 1]!.rmseOverScale).to.be.at.least(layers[i]!.rmseOverScale);
    expect(summary.simulated!.cosine).to.be.above(0.99).and.at.most(1);
    expect(ctx.heldOutSamples).to.have.length(2);
    expect(ctx.heldOutSamples![0]!.image!.shape).to.deep.equal([1, 16, 16, 3]);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as QuantizationReport;
    expect(report.layers.map((l) => l.tensor)).to.deep.equal(layers.map((l) => l.tensor));
    expect(report.simulated).to.deep.include({ on: 'held-out', samples: 2 });
    expect(existsSync(`${reportFile}.${process.pid}.tmp`)).to.equal(false);
    expect(ctx.notes.join('\n')).to.match(/int8: ranges from 8 calibration sample\(s\) of .*photos, 2 held out/)
      .and.match(/node\(s\) on int8, 0 kept float/).and.match(/simulated against float on 2 held-out sample\(s\): cosine 0\.99/);
  });

  it('keeps the nodes --keep-float names float, by glob', async () => {
    const { graph } = await quantize({ quantize: 'int8', calibrationData: photos, keepFloat: ['conv*'] });
    expect(nodeOf(graph, 'conv1').quantized).to.equal(undefined);
    expect(nodeOf(graph, 'dw').quantized).to.equal('int8');
    expect(summaryOf(graph).keptFloat).to.deep.equal([
      { node: 'conv1', op: '_FusedConv2D', reason: '--keep-float' }, { node: 'conv2', op: '_FusedConv2D', reason: '--keep-float' },
    ]);
  });

  it('keeps the nodes adding the most error float until an accuracy target of cosine=0.99999 holds, and reports them', async () => {
    const reportFile = path.join(tmp.dir, 'target.json');
    const { graph, ctx } = await quantize({ quantize: 'int8', calibrationData: photos, accuracyTarget: { metric: 'cosine', value: 0.99999 }, quantizeReport: reportFile });
    const summary = summaryOf(graph);
    const kept = summary.keptFloat!.filter((k) => k.reason === 'accuracy target');
    expect(kept.length).to.be.at.least(1);
    for (const k of kept) expect(nodeOf(graph, k.node).quantized).to.equal(undefined);
    expect(summary.int8Nodes).to.be.above(0);
    expect(summary.simulated!.cosine).to.be.at.least(0.99999);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as QuantizationReport;
    const rounds = report.accuracyTarget!.rounds;
    expect(rounds[0]!.value).to.be.below(0.99999);
    // Nodes kept in rounds before the one that met the target go back to int8 when the target holds without them.
    expect(kept.length).to.be.below(Math.max(...rounds.map((r) => r.keptFloat)));
    expect(rounds.at(-1)!).to.deep.equal({ keptFloat: kept.length, value: summary.simulated!.cosine });
    expect(ctx.notes.join('\n')).to.include(`accuracy target cosine=0.99999 met with ${kept.length} node(s) kept float`);
  });

  it('fails an accuracy target int8-full cannot meet, naming the target and the best value, and writes no report', async () => {
    const reportFile = path.join(tmp.dir, 'impossible.json');
    const e = await rejection(quantize({ quantize: 'int8-full', calibrationData: photos, accuracyTarget: { metric: 'cosine', value: 0.99999 }, quantizeReport: reportFile }));
    expect(e).to.be.instanceOf(PluginError);
    expect(e.message).to.match(/^\[plugin @modelport\/quantizer-int8\] quantize: accuracy target cosine=0.99999 is not met: simulated cosine 0\.99\d+/);
    expect(existsSync(reportFile)).to.equal(false);
  });

  it('int8-full: integer edges, and an error naming the mode and every node that cannot be int8', async () => {
    const { graph } = await quantize({ quantize: 'int8-full', calibrationData: photos });
    expect(graph.signatures.serving_default!.inputs.image).to.deep.include({ dtype: 'uint8' });
    expect(graph.signatures.serving_default!.outputs.probs!.quantization).to.deep.equal({ dtype: 'uint8', scale: [1 / 256], zeroPoint: [0] });

    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 4]);
    const e1 = b.node('exp', { op: 'Exp', inputs: [x], attrs: { T: { type: 'float32' } } });
    const r = b.node('relu', { op: 'Relu', inputs: [e1], attrs: { T: { type: 'float32' } } });
    const graph2 = b.outputs(b.node('sqrt', { op: 'Sqrt', inputs: [r], attrs: { T: { type: 'float32' } } })).build();
    const e = await rejection(quantize({ quantize: 'int8-full', calibration: 'random' }, graph2));
    expect(e.message).to.include('int8-full: 2 node(s) cannot run on int8').and.include('"exp" (Exp').and.include('"sqrt" (Sqrt');
  });

  it('refuses a top-1 target for a model without an output shaped [N, C]', async () => {
    const b = new GraphBuilder();
    const graph = b.outputs(b.node('relu', { op: 'Relu', inputs: [b.input('x', 'float32', [8])], attrs: { T: { type: 'float32' } } })).build();
    const e = await rejection(quantize({ quantize: 'int8', calibration: 'random', accuracyTarget: { metric: 'top1', value: 0.9 } }, graph));
    expect(e.message).to.include('accuracy target top1=0.9: top-1 agreement needs an output shaped [N, C]');
  });

  it('refuses int8 without calibration data, and says when the ranges came from noise', async () => {
    const e = await rejection(quantize({ quantize: 'int8' }));
    expect(e.message).to.match(/^\[plugin @modelport\/quantizer-int8\] quantize: --quantize int8 calibrates .* give --calibration-data/);
    const { graph, ctx } = await quantize({ quantize: 'int8', calibration: 'random', calibrationSteps: 5 });
    expect(summaryOf(graph).calibration).to.deep.include({ source: 'random', samples: 5, heldOut: 1 });
    expect(ctx.notes[0]).to.include('seeded noise (5 samples, not data');
  });
});
