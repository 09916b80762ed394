import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import {
  compareTensors, defaultSignature, initBackend, nodeMap, parseTensorRef, silentLogger, tensorRef,
  type Graph, type Node, type TensorData, type TensorRef,
} from '@modelport/core';
import {
  canTakeControlInputs, foldConstants, isControlFlowOp, isTensorContainerOp, pruneDeadCode, removeIdentity, runPasses,
  type FoldConstantsReport, type RemoveIdentityReport,
} from '../src/index.js';
import { CORPUS_DIR, loadCorpusGraph, randomFeeds, runGraph, TOLERANCE, valid } from './helpers.js';

// Plain CNNs, one with constant subgraphs left (nanodet), and v1 control flow: rvm (two conds, NoOp
// control anchors), handtrack (a while loop over TensorLists), faceboxes (a while loop over TensorArrays).
// PASSES_CORPUS=all runs every corpus model instead (about a minute more).
const MODELS = process.env.PASSES_CORPUS === 'all' && existsSync(CORPUS_DIR)
  ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort()
  : ['emotion', 'blazeface', 'centernet', 'nanodet', 'rvm', 'handtrack', 'faceboxes'];

/** rvm's conds branch on downsample_ratio: run both sides. */
const FEED_VARIANTS: Record<string, readonly Record<string, TensorData>[]> = {
  rvm: [1, 0.25].map((r) => ({ downsample_ratio: { dtype: 'float32', shape: [1], data: new Float32Array([r]) } })),
};

function expectClose(got: readonly TensorData[], want: readonly TensorData[], fetches: readonly TensorRef[], what: string): void {
  fetches.forEach((ref, i) => {
    const c = compareTensors(ref, got[i]!, want[i]!, TOLERANCE);
    expect(c.ok, `${what}: ${ref}: ${c.problem}`).to.equal(true);
  });
}

/**
 * The graph with an Identity after every output that is read, except outputs of control-flow and
 * TensorArray/TensorList ops; readers (and control readers that can take control inputs) read the
 * Identity instead. What a naive converter might write: removeIdentity must undo it exactly.
 */
function withIdentityAfterEveryOp(graph: Graph): { graph: Graph; inserted: number } {
  const byName = nodeMap(graph);
  const alias = new Map<TensorRef, TensorRef>();
  for (const node of graph.nodes) {
    for (const ref of node.inputs) {
      const { node: producer, index } = parseTensorRef(ref);
      const op = byName.get(producer)!.op;
      if (isControlFlowOp(op) || isTensorContainerOp(op) || alias.has(ref)) continue;
      alias.set(ref, tensorRef(`${producer}/inserted_identity_${index}`));
    }
  }
  const identitiesAfter = new Map<string, Node[]>();
  for (const [ref, to] of alias) {
    const producer = parseTensorRef(ref).node;
    const id: Node = { name: to.slice(0, -2), op: 'Identity', inputs: [ref], attrs: {} };
    identitiesAfter.set(producer, [...(identitiesAfter.get(producer) ?? []), id]);
  }
  const nodes = graph.nodes.flatMap((node) => {
    const controls = node.controlInputs && canTakeControlInputs(node.op)
      ? node.controlInputs.map((c) => alias.get(tensorRef(c))?.slice(0, -2) ?? c) : node.controlInputs;
    const rewired: Node = { ...node, inputs: node.inputs.map((r) => alias.get(r) ?? r), ...(controls ? { controlInputs: controls } : {}) };
    return [rewired, ...(identitiesAfter.get(node.name) ?? [])];
  });
  return { graph: { ...graph, nodes }, inserted: alias.size };
}

const shape = (n: Node) => ({ name: n.name, op: n.op, inputs: n.inputs, controlInputs: n.controlInputs ?? [] });

describe('passes on corpus models', function () {
  this.timeout(120_000);
  const rows: [name: string, counts: string][] = [];
  const untidyRows: [name: string, counts: string][] = [];
  before(() => initBackend());
  after(() => {
    const width = Math.max(0, ...rows.map(([name]) => name.length));
    const table = (title: string, lines: typeof rows) => `\n    ${title}:\n${lines.map(([name, counts]) => `      ${name.padEnd(width)} ${counts}`).join('\n')}\n`;
    if (rows.length) process.stdout.write(table('node counts (all passes)', rows));
    if (untidyRows.length) process.stdout.write(table('with an Identity after every op', untidyRows));
  });

  for (const name of MODELS) {
    describe(name, () => {
      let graph: Graph;
      let fetches: TensorRef[];
      before(async function () {
        const loaded = await loadCorpusGraph(name);
        if (!loaded) this.skip();
        graph = valid(loaded!);
        fetches = Object.values(defaultSignature(graph).outputs).map((t) => t.name);
      });

      it('keeps outputs equal after all passes, and the graph valid', async () => {
        const notes: string[] = [];
        const passed = valid(await runPasses(graph, {}, { logger: silentLogger, notes }));
        expect(passed.nodes.length).to.be.at.most(graph.nodes.length);
        expect(passed.outputs).to.deep.equal(graph.outputs);
        for (const variant of FEED_VARIANTS[name] ?? [{}]) {
          const feeds = { ...randomFeeds(graph, 1), ...variant };
          expectClose(await runGraph(passed, feeds, fetches), await runGraph(graph, feeds, fetches), fetches, 'after all passes');
        }
        rows.push([name, `${String(graph.nodes.length).padStart(5)} → ${String(passed.nodes.length).padStart(5)} nodes, `
          + `${graph.constants.size} → ${passed.constants.size} Consts (${notes.join('')})`]);
      });

      it('removes Identities inserted after every op, restoring the graph exactly; folding through them keeps outputs', async () => {
        const untidy = withIdentityAfterEveryOp(graph);
        valid(untidy.graph);
        let removal: RemoveIdentityReport | undefined;
        const cleaned = valid(removeIdentity(untidy.graph, { onReport: (r) => { removal = r; } }));
        expect(removal!.removed).to.deep.equal({ Identity: untidy.inserted });
        expect(cleaned.nodes.map(shape)).to.deep.equal(graph.nodes.map(shape));

        let fold: FoldConstantsReport | undefined;
        const folded = valid(pruneDeadCode(valid(await foldConstants(untidy.graph, { onReport: (r) => { fold = r; } }))));
        expect(fold!.replaced).to.be.greaterThan(0);
        const feeds = randomFeeds(graph, 2);
        const want = await runGraph(graph, feeds, fetches);
        expectClose(await runGraph(untidy.graph, feeds, fetches), want, fetches, 'with inserted Identities');
        expectClose(await runGraph(folded, feeds, fetches), want, fetches, 'folded through inserted Identities');
        untidyRows.push([name, `${String(untidy.graph.nodes.length).padStart(5)} nodes: remove-identity → ${cleaned.nodes.length}; `
          + `fold-constants + prune → ${folded.nodes.length} (${fold!.replaced} replaced by Consts)`]);
      });
    });
  }
});
