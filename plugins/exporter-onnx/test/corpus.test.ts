import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compareTensors, GraphExecutor, initBackend, judgeOutput, onCpuBackend, relativeDiff, silentLogger, type TensorData,
} from '@modelport/core';
import { loadOnnxPredictor } from '@modelport/runtime-onnx';
import { exportOnnx, type OnnxExport } from '../src/index.js';
import { onnxEnds } from '../src/signature-io.js';
import { neededNodes } from '../src/convert-graph.js';
import { corpusDir, corpusFeeds, corpusModels, loadCorpusGraph } from './helpers/corpus.js';
import { STATUS_ORDER, writeCorpusReport, type CorpusRow, type OutputStatus } from './helpers/corpus-report.js';

const TOLERANCE = 1e-4;
const dir = corpusDir();
const models = dir ? await corpusModels(dir) : [];
const rows: CorpusRow[] = [];

interface Verdict { readonly status: OutputStatus; readonly note?: string; readonly abs: number; readonly rel: number }

/** The status of one output by core's rules for an uncertain reference (the same the validation step applies). */
async function judge(name: string, actual: TensorData, wasm: TensorData, cpu: () => Promise<TensorData>): Promise<Verdict> {
  const v = await judgeOutput(name, actual, wasm, cpu, TOLERANCE);
  return { status: v.status, abs: v.maxAbsDiff, rel: relativeDiff(v), ...(v.note || v.problem ? { note: `${name}: ${v.note ?? v.problem}` } : {}) };
}

describe('exporter-onnx: the corpus (41 tfjs graph models) in onnxruntime', function () {
  let work: string;
  before(async function () {
    if (!dir) this.skip(); // run `npm run corpus` first
    await initBackend();
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-onnx-corpus-'));
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
    const report = process.env.MODELPORT_CORPUS_REPORT;
    if (report && rows.length) await writeCorpusReport(report, rows);
  });

  for (const name of models) {
    it(`converts ${name} and matches tfjs`, async () => {
      const graph = await loadCorpusGraph(dir!, name);
      const t0 = performance.now();
      let exported: OnnxExport;
      try {
        exported = exportOnnx(graph, { opset: 17, optimize: true });
      } catch (e) {
        rows.push({ model: name, irNodes: graph.nodes.length, ops: 0, onnxNodes: 0, transposes: 0, maxAbsDiff: NaN, relDiff: NaN, status: 'refused', note: (e as Error).message, exportMs: 0 });
        throw e;
      }
      const exportMs = Math.round(performance.now() - t0);
      const file = path.join(work, `${name}.onnx`);
      await fs.writeFile(file, exported.bytes);
      const feeds = corpusFeeds(name, graph);
      const predictor = await loadOnnxPredictor(file, silentLogger, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
      let actual: Record<string, TensorData>;
      try { actual = await predictor.predict(feeds.onnx); } finally { await predictor.dispose(); }
      const ends = onnxEnds(graph, neededNodes(graph, onnxEnds(graph, new Set()).outputs.map((o) => o.ref)));
      const executor = await GraphExecutor.create(graph);
      try {
        const refs = ends.outputs.map((o) => o.ref);
        const wasm = await executor.run(feeds.tfjs, refs);
        let cpuRefs: TensorData[] | undefined;
        const cpu = async (i: number) => (cpuRefs ??= await onCpuBackend(() => executor.run(feeds.tfjs, refs)))[i]!;
        const verdicts: Verdict[] = [];
        for (const [i, o] of ends.outputs.entries()) {
          verdicts.push(await judge(o.name, actual[o.name]!, wasm[i]!, () => cpu(i)));
        }
        // The row shows the worst output of the worst status.
        const worst = verdicts.reduce((w, v) => {
          const [a, b] = [STATUS_ORDER.indexOf(v.status), STATUS_ORDER.indexOf(w.status)];
          return a > b || (a === b && (v.rel > w.rel || Number.isNaN(v.rel))) ? v : w;
        });
        const status = worst.status;
        const note = verdicts.flatMap((v) => (v.note ? [v.note] : [])).join('; ');
        rows.push({ model: name, irNodes: graph.nodes.length, ops: exported.details.ops.length, onnxNodes: exported.details.onnxNodes, transposes: exported.details.transposes, maxAbsDiff: worst.abs, relDiff: worst.rel, status, note, exportMs });
        expect(status, note).to.not.equal('FAIL');
      } finally {
        executor.dispose();
      }
    });
  }

  it('keeps a dynamic batch dynamic: runs with batch 3 where the source allows it', async function () {
    if (!dir) this.skip();
    for (const name of ['emotion', 'gear', 'mobilefacenet']) {
      const graph = await loadCorpusGraph(dir, name);
      const exported = exportOnnx(graph, { opset: 17, optimize: true });
      expect(exported.model.graph.inputs[0]!.shape?.[0], name).to.equal('batch');
      const file = path.join(work, `${name}-batch.onnx`);
      await fs.writeFile(file, exported.bytes);
      const feeds = corpusFeeds(name, graph, 3);
      const predictor = await loadOnnxPredictor(file, silentLogger, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
      const executor = await GraphExecutor.create(graph);
      try {
        const actual = await predictor.predict(feeds.onnx);
        const ends = exported.model.graph.outputs;
        const reference = await executor.run(feeds.tfjs);
        ends.forEach((o, i) => {
          expect(actual[o.name]!.shape[0], `${name} ${o.name}`).to.equal(3);
          expect(compareTensors(o.name, actual[o.name]!, reference[i]!, TOLERANCE).ok, `${name} ${o.name}`).to.equal(true);
        });
      } finally {
        executor.dispose();
        await predictor.dispose();
      }
    }
  });
});
