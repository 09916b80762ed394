import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { compareTensors, GraphExecutor, OptionsError, type Graph, type TensorData } from '@modelport/core';
import { exporterOnnx } from '@modelport/exporter-onnx';
import { exporterTflite } from '@modelport/exporter-tflite';
import { quantizerInt8Plugin } from '@modelport/quantizer-int8';
import { quantizerWeights } from '@modelport/quantizer-weights';
import { moduleSignaturePlugins, runPipeline, smallImageClassifier, tinyDenseGraph } from '@modelport/testing';
import { exportSavedModel } from '../src/export-savedmodel.js';
import { exporterSavedModel } from '../src/index.js';
import { decodeSavedModel } from './support/fixtures.js';
import { readSavedModel } from '@modelport/savedmodel';
import { signatureFeeds } from './support/signature-feeds.js';

async function runSignature(graph: Graph, key: string, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const exec = await GraphExecutor.create(graph);
  try { return await exec.runSignature(graph.signatures[key]!, feeds); } finally { exec.dispose(); }
}

const meta = (file: string) => decodeSavedModel(file).metaGraphs[0];

describe('exporter-savedmodel in the export pipeline', () => {
  it('writes saved_model.pb at the version root by default, beside tfjs/, model.onnx and model.tflite, every file listed', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [exporterSavedModel, exporterOnnx, exporterTflite], targets: ['savedmodel', 'tfjs', 'onnx', 'tflite'], validate: false });
    const a = run.artifact('savedmodel');
    expect(a.path).to.equal('saved_model.pb');
    expect(a.files).to.deep.equal(['saved_model.pb']);
    // TF Serving's layout: <base>/<numeric version>/saved_model.pb, <base> being <out>/<model>
    expect(path.basename(run.dir)).to.match(/^\d+$/);
    expect(path.dirname(run.file('savedmodel'))).to.equal(run.dir);
    expect(a.format).to.equal('savedmodel');
    for (const t of ['savedmodel', 'tfjs', 'onnx', 'tflite']) expect(existsSync(run.file(t)), t).to.equal(true);
    const manifest = JSON.parse(await run.read('export.json'));
    expect(Object.keys(manifest.files)).to.include('saved_model.pb');
    expect(existsSync(path.join(run.dir, 'variables')), 'frozen: no variables/ (as tf1-frozen-cnn)').to.equal(false);
    const m = meta(run.file('savedmodel'));
    expect(m.metaInfoDef.tags).to.deep.equal(['serve']);
    expect(Object.keys(m.signatureDef)).to.deep.equal(['serving_default']);
    expect(m.graphDef.node.some((n: any) => n.op === 'Const')).to.equal(true);
  });

  it('puts the SavedModel in `directory` and, with variables: true, its weights in variables/ (listed)', async () => {
    const run = await runPipeline({
      graph: tinyDenseGraph(), plugins: [exporterSavedModel], targets: ['savedmodel'], validate: false,
      options: { targetOptions: { savedmodel: { directory: 'savedmodel', variables: true } } },
    });
    const a = run.artifact('savedmodel');
    expect(a.path).to.equal('savedmodel/saved_model.pb');
    expect([...a.files].sort()).to.deep.equal(['savedmodel/saved_model.pb', 'savedmodel/variables/variables.data-00000-of-00001', 'savedmodel/variables/variables.index']);
    const m = meta(run.file('savedmodel'));
    expect(m.saverDef.restoreOpName).to.equal('save/restore_all');
    expect(m.graphDef.node.filter((n: any) => n.op === 'VarHandleOp').length).to.equal((a.details as any).variables).and.be.greaterThan(0);
  });

  it('writes the classes module\'s labels as assets/labels.txt and the `assets` files, each with an AssetFileDef', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sm-assets-'));
    try {
      const vocab = path.join(tmp, 'vocab source.txt');
      writeFileSync(vocab, 'hello\nworld\n');
      const run = await runPipeline({
        graph: smallImageClassifier(), plugins: [...moduleSignaturePlugins, exporterSavedModel], targets: ['savedmodel'], validate: false,
        options: { signatures: { serving_default: ['pixels', 'classes'] }, targetOptions: { savedmodel: { assets: { 'vocab.txt': vocab } } } },
      });
      const a = run.artifact('savedmodel');
      expect([...a.files].sort()).to.deep.equal(['assets/labels.txt', 'assets/vocab.txt', 'saved_model.pb']);
      expect(readFileSync(path.join(run.dir, 'assets/labels.txt'), 'utf8')).to.equal('a\nb\nc\nd\ne\n');
      expect(readFileSync(path.join(run.dir, 'assets/vocab.txt'), 'utf8')).to.equal('hello\nworld\n');
      const m = meta(run.file('savedmodel'));
      expect(m.assetFileDef.map((d: any) => d.filename).sort()).to.deep.equal(['labels.txt', 'vocab.txt']);
      for (const d of m.assetFileDef) {
        const node = m.graphDef.node.find((n: any) => `${n.name}:0` === d.tensorInfo.name);
        expect(Buffer.from(node.attr.value.tensor.stringVal[0]).toString()).to.equal(d.filename);
      }
      expect(Object.keys(m.collectionDef).sort()).to.deep.equal(['asset_filepaths', 'saved_model_assets']);
      expect(Object.keys(m.signatureDef).sort()).to.deep.equal(['serving_default', 'source'].sort());
    } finally { rmSync(tmp, { recursive: true, force: true }); }
  });

  it('writes each export-module signature as a SignatureDef that computes what the composed graph does', async () => {
    const run = await runPipeline({
      graph: smallImageClassifier(), plugins: [...moduleSignaturePlugins, exporterSavedModel], targets: ['savedmodel'], validate: false,
      options: { signatures: { serving_default: ['pixels', 'classes'] } },
    });
    const { graph: back } = await readSavedModel(run.file('savedmodel'));
    for (const key of ['serving_default', 'source']) {
      const signature = run.graph.signatures[key]!;
      const feeds = signatureFeeds('', { ...signature, inputs: Object.fromEntries(Object.entries(signature.inputs).map(([k, t]) => [k, { ...t, shape: t.shape?.map((d, i) => (d === -1 ? (i === 0 ? 2 : 12) : d)) ?? null }])) });
      expect(Object.keys(back.signatures[key]!.outputs).sort(), key).to.deep.equal(Object.keys(signature.outputs).sort());
      const [want, got] = [await runSignature(run.graph, key, feeds), await runSignature(back, key, feeds)];
      for (const [name, w] of Object.entries(want)) {
        const c = compareTensors(name, got[name]!, w, 1e-5);
        expect(c.ok, `${key} ${name}: ${c.problem}`).to.equal(true);
      }
    }
  });

  it('refuses an asset name that is not a plain file name, naming the option', async () => {
    const err = await runPipeline({ graph: tinyDenseGraph(), plugins: [exporterSavedModel], targets: ['savedmodel'], validate: false, options: { targetOptions: { savedmodel: { assets: { '../x.txt': '/etc/hostname' } } } } })
      .then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/targetOptions\.savedmodel\.assets: "\.\.\/x\.txt" is not a file name/);
  });

  it('refuses a directory outside the version folder, naming the option', async () => {
    for (const directory of ['../elsewhere', '/tmp/x']) {
      const err = await runPipeline({ graph: tinyDenseGraph(), plugins: [exporterSavedModel], targets: ['savedmodel'], validate: false, options: { targetOptions: { savedmodel: { directory } } } })
        .then(() => undefined, (e: Error) => e);
      expect(err?.message, directory).to.include(`targetOptions.savedmodel.directory: "${directory}" leaves the version folder`);
    }
  });

  it('writes a graph quantized with --quantize in float32, and says so', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [quantizerWeights, exporterSavedModel], targets: ['savedmodel'], validate: false, options: { quantize: 'float16' } });
    expect(run.notes.some((n) => /savedmodel: written in float32; --quantize float16 is not stored/.test(n))).to.equal(true);
    const consts = meta(run.file('savedmodel')).graphDef.node.filter((n: any) => n.op === 'Const');
    expect(consts.every((n: any) => n.attr.dtype.type === 'DT_FLOAT' || n.attr.dtype.type === 'DT_INT32')).to.equal(true);
  });

  it('refuses integer-only signature inputs or outputs in one error naming each', () => {
    const g = tinyDenseGraph();
    const s = g.signatures.serving_default!;
    const q = { scale: [0.1], zeroPoint: [0] };
    const quantized: Graph = { ...g, signatures: { serving_default: {
      inputs: Object.fromEntries(Object.entries(s.inputs).map(([k, t]) => [k, { ...t, dtype: 'int8', quantization: q }])),
      outputs: Object.fromEntries(Object.entries(s.outputs).map(([k, t]) => [k, { ...t, dtype: 'int8', quantization: q }])),
    } } };
    expect(() => exportSavedModel(quantized, { variables: false, assets: [] })).to.throw(OptionsError, /cannot write integer-only inputs or outputs: signature "serving_default" input "x" \(int8\), signature "serving_default" output "y" \(int8\)/);
  });

  it('refuses --quantize int8-full (integer inputs and outputs) at export, before any file is written', async () => {
    const err = await runPipeline({ graph: tinyDenseGraph(), plugins: [quantizerInt8Plugin, exporterSavedModel], targets: ['savedmodel'], validate: false, options: { quantize: 'int8-full', calibration: 'random' } })
      .then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/target "savedmodel" cannot write integer-only inputs or outputs: signature "serving_default" input "x" \(u?int8\)/);
  });

  it('writes variables by itself, with a note, when a frozen graph would pass protobuf\'s 2 GB limit', () => {
    const exported = exportSavedModel(tinyDenseGraph(), { variables: false, assets: [], frozenLimitBytes: 16 });
    expect(exported.details.weights).to.equal('variables');
    expect(exported.variables?.size).to.be.greaterThan(0);
    expect(exported.notes[0]).to.match(/^savedmodel: weights of 0\.00 GB written as variables \(a frozen graph passes protobuf's 2 GB limit\)$/);
    expect(exportSavedModel(tinyDenseGraph(), { variables: false, assets: [] }).details.weights).to.equal('frozen');
  });
});
