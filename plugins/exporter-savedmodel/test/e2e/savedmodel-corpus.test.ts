import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { GraphExecutor, judgeOutput, loadTfjsGraphModel, onCpuBackend, relativeDiff, type Graph, type TensorData } from '@modelport/core';
import { readSavedModel } from '@modelport/savedmodel';
import { exportSavedModel } from '../../src/export-savedmodel.js';
import { writeSavedModelFiles } from '../../src/write-files.js';
import { corpusFile, corpusModels } from '../support/corpus.js';
import { signatureFeeds } from '../support/signature-feeds.js';

/** max|Δ| relative to max|ref|: the float graph round trips, only the order of float operations may differ (fused or not). */
const TOLERANCE = 1e-5;

async function run(graph: Graph, key: string, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const exec = await GraphExecutor.create(graph);
  try { return await exec.runSignature(graph.signatures[key]!, feeds); } finally { exec.dispose(); }
}

/**
 * Acceptance: every corpus model exported as a SavedModel, frozen and with variables, written to
 * disk, read back by @modelport/savedmodel's readSavedModel and run in tfjs, equals the source on
 * seeded inputs by validation's rules (≤ 1e-5 of max|ref|, or the source's own backend noise).
 * One import per model; both forms from that one graph.
 */
describe('e2e: every corpus model as a SavedModel, frozen and with variables', () => {
  let out: string;
  before(() => { out = mkdtempSync(path.join(os.tmpdir(), 'sm-corpus-')); });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('41 models round trip equal to their source', async () => {
    const started = Date.now();
    const models = corpusModels();
    const rows: string[] = [];
    const notes: string[] = [];
    let worstAll = 0;
    for (const model of models) {
      const source = await loadTfjsGraphModel(corpusFile(model));
      const key = Object.keys(source.signatures)[0]!;
      const feeds = signatureFeeds(model, source.signatures[key]!);
      const want = await run(source, key, feeds);
      let cpu: Record<string, TensorData> | undefined;
      const sizes: string[] = [];
      let worst = 0;
      for (const variables of [false, true]) {
        const dir = path.join(out, `${model}-${variables ? 'variables' : 'frozen'}`);
        const exported = exportSavedModel(source, { variables, assets: [] });
        await writeSavedModelFiles(dir, exported);
        sizes.push(`${(exported.savedModelPb.length / 1e6).toFixed(1)} MB pb${variables ? ` + ${exported.details.variables} variables` : ''}`);
        const back = await readSavedModel(dir);
        expect(back.weights, model).to.equal(variables ? 'variables' : 'frozen');
        const got = await run(back.graph, key, feeds);
        for (const [name, w] of Object.entries(want)) {
          // By core's rules for an uncertain reference, as validation judges: the tfjs cpu run when the usual backend's own noise is larger.
          const v = await judgeOutput(name, got[name]!, w, async () => (cpu ??= await onCpuBackend(() => run(source, key, feeds)))[name]!, TOLERANCE);
          expect(v.ok, `${model} (${variables ? 'variables' : 'frozen'}) ${name}: ${v.problem}`).to.equal(true);
          if (v.status !== 'pass') notes.push(`${model} ${name}: ${v.status}${v.note ? ` (${v.note})` : ''}`);
          worst = Math.max(worst, relativeDiff(v));
        }
      }
      rmSync(path.join(out, `${model}-frozen`), { recursive: true });
      rmSync(path.join(out, `${model}-variables`), { recursive: true });
      worstAll = Math.max(worstAll, worst);
      rows.push(`${model}: ${sizes.join(' / ')}, worst relative diff ${worst.toExponential(1)}`);
    }
    for (const r of [...rows, ...new Set(notes)]) console.log(`      ${r}`);
    console.log(`      ${models.length} models × (frozen, variables), worst relative diff ${worstAll.toExponential(2)}, ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    expect(models.length).to.equal(41);
  });
});
