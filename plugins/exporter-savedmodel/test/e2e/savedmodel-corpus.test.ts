import { expect } from 'chai';
import { GraphExecutor, judgeOutput, onCpuBackend, loadTfjsGraphModel, relativeDiff, type Graph, type TensorData } from '@modelport/core';
import { decodeTensorBundle, encodeTensorBundle, messageType, TO_OBJECT_OPTIONS } from '@modelport/savedmodel';
import { exportSavedModel } from '../../src/export-savedmodel.js';
import { corpusFile, corpusModels } from '../support/corpus.js';
import { graphFromSavedModel } from '../support/graph-from-fixture.js';
import { signatureFeeds } from '../support/signature-feeds.js';

/** max|Δ| relative to max|ref|: the float graph round trips, only the order of float operations may differ (fused or not). */
const TOLERANCE = 1e-5;

const decode = (pb: Uint8Array) => { const t = messageType('SavedModel'); return t.toObject(t.decode(pb), TO_OBJECT_OPTIONS); };

async function run(graph: Graph, key: string, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const exec = await GraphExecutor.create(graph);
  try { return await exec.runSignature(graph.signatures[key]!, feeds); } finally { exec.dispose(); }
}

const bytesOf = (v: unknown) => (ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(JSON.stringify(v)));

/** The variables form read back, each ReadVariableOp (read as Identity) bypassed: consumers read the variable's value. */
function withoutVariableReads(g: Graph): Graph {
  const reads = new Map(g.nodes.filter((n) => n.op === 'Identity' && n.name.endsWith('/Read/ReadVariableOp')).map((n) => [`${n.name}:0`, n.inputs[0]!]));
  const nodes = g.nodes.filter((n) => !reads.has(`${n.name}:0`)).map((n) => ({ ...n, inputs: n.inputs.map((i) => reads.get(i) ?? i) }));
  return { ...g, nodes };
}

/** Two graphs that compute the same: node names, ops, inputs, constant bytes. */
function expectSameGraph(a: Graph, b: Graph, model: string): void {
  const line = (n: Graph['nodes'][number]) => `${n.name} ${n.op} ${n.inputs.join(',')}`;
  expect(b.nodes.map(line), model).to.deep.equal(a.nodes.map(line));
  expect([...b.constants.keys()].sort(), model).to.deep.equal([...a.constants.keys()].sort());
  for (const [name, c] of a.constants) expect(bytesOf(b.constants.get(name)!.values).equals(bytesOf(c.values)), `${model} ${name}`).to.equal(true);
}

/**
 * Acceptance: every corpus model exported as a SavedModel, frozen and with variables, read back
 * (saved_model.pb decoded; variables from the tensor bundle) and run in tfjs, equals the source
 * (≤ 1e-5 of max|ref|) on seeded inputs. One import per model; both forms from that one graph.
 */
describe('e2e: every corpus model as a SavedModel, frozen and with variables', () => {
  it('41 models round trip equal to their source', async () => {
    const started = Date.now();
    const models = corpusModels();
    const rows: string[] = [];
    let worstAll = 0;
    const notes: string[] = [];
    for (const model of models) {
      const source = await loadTfjsGraphModel(corpusFile(model));
      const key = Object.keys(source.signatures)[0] ?? 'serving_default';
      const frozen = exportSavedModel(source, { variables: false, assets: [] });
      const backFrozen = graphFromSavedModel(decode(frozen.savedModelPb), new Map(), key);
      const withVars = exportSavedModel(source, { variables: true, assets: [] });
      const bundle = encodeTensorBundle([...withVars.variables!].sort(([a], [b]) => (a < b ? -1 : 1)));
      const backVars = graphFromSavedModel(decode(withVars.savedModelPb), await decodeTensorBundle(bundle.index, bundle.data), key);
      // The variables form, its variables read back, is the frozen graph node for node and byte for byte.
      expectSameGraph(backFrozen, withoutVariableReads(backVars), model);
      const feeds = signatureFeeds(model, source.signatures[key] ?? backFrozen.signatures[key]!);
      const want = await run(source, key, feeds);
      const got = await run(backFrozen, key, feeds);
      let cpu: Record<string, TensorData> | undefined;
      let worst = 0;
      for (const [name, w] of Object.entries(want)) {
        // By core's rules for an uncertain reference, as validation judges (the tfjs cpu run when the usual backend's own noise is larger).
        const v = await judgeOutput(name, got[name]!, w, async () => (cpu ??= await onCpuBackend(() => run(source, key, feeds)))[name]!, TOLERANCE);
        expect(v.ok, `${model} ${name}: ${v.problem}`).to.equal(true);
        if (v.status !== 'pass') notes.push(`${model} ${name}: ${v.status}${v.note ? ` (${v.note})` : ''}`);
        worst = Math.max(worst, relativeDiff(v));
      }
      worstAll = Math.max(worstAll, worst);
      rows.push(`${model}: ${frozen.details.nodes} nodes, ${withVars.details.variables} variables, pb ${(frozen.savedModelPb.length / 1e6).toFixed(1)} MB frozen / ${(withVars.savedModelPb.length / 1e3).toFixed(0)} kB with variables, worst relative diff ${worst.toExponential(1)}`);
    }
    for (const r of [...rows, ...notes]) console.log(`      ${r}`);
    console.log(`      ${models.length} models, worst relative diff ${worstAll.toExponential(2)}, ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    expect(models.length).to.equal(41);
  });
});
