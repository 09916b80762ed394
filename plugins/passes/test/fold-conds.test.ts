import { expect } from 'chai';
import { freezeInputValues, initBackend, silentLogger, type Graph, type TensorData } from '@modelport/core';
import { condGraph as computedPredicateCond } from '@modelport/core/testing';
import { foldConds, runPasses, type FoldCondsReport } from '../src/index.js';
import { condGraph, whileLoopGraph } from './fixtures.js';
import { opCounts, runGraph, tensor, valid } from './helpers.js';

const passes = (graph: Graph) => runPasses(graph, {}, { logger: silentLogger, notes: [] });

/** The graph's first output on `feeds`, as numbers. */
async function output(graph: Graph, feeds: Record<string, TensorData>): Promise<{ shape: readonly number[]; values: number[] }> {
  const [t] = await runGraph(graph, feeds);
  return { shape: t!.shape, values: Array.from(t!.data as Float32Array) };
}

describe('foldConds', () => {
  before(() => initBackend());

  for (const pred of [1, 0]) {
    it(`keeps only the ${pred ? 'true' : 'false'} side of a cond on a frozen predicate: no Switch or Merge left, the same outputs`, async () => {
      const x = tensor('float32', [2], [-2, 5]);
      let report: FoldCondsReport | undefined;
      const resolved = valid(foldConds(freezeInputValues(condGraph(), { pred }), { onReport: (r) => { report = r; } }));
      expect(report).to.deep.equal({ switches: 1, merges: 1, dropped: pred ? 3 : 5 });
      const after = valid(await passes(freezeInputValues(condGraph(), { pred })));
      expect(Object.keys(opCounts(after)).filter((op) => op === 'Switch' || op === 'Merge')).to.deep.equal([]);
      const want = await output(condGraph(), { x, pred: tensor('bool', [], [pred]) });
      expect(await output(resolved, { x })).to.deep.equal(want);
      expect(await output(after, { x })).to.deep.equal(want);
      expect(want.values).to.deep.equal(pred ? [0, 15] : [2, -5]);
    });
  }

  for (const s of [1, -1]) {
    it(`folds a predicate computed from a frozen input (s = ${s}), then folds inside the taken branch`, async () => {
      const x = tensor('float32', [3], [1, 2, 3]);
      const after = valid(await passes(freezeInputValues(computedPredicateCond(), { s })));
      const ops = opCounts(after);
      expect([ops.Switch, ops.Merge, ops.Greater]).to.deep.equal([undefined, undefined, undefined]);
      const want = await output(computedPredicateCond(), { x, s: tensor('float32', [], [s]) });
      expect(await output(after, { x })).to.deep.equal(want);
      expect(want.shape).to.deep.equal(s > 0 ? [3] : [6]);
    });
  }

  it('gives the value_index of a Merge as a Const: the index of the side taken', async () => {
    const source = condGraph();
    const which = { name: 'which', op: 'Cast', inputs: ['cond/Merge:1'], attrs: { SrcT: { type: 'int32' }, DstT: { type: 'float32' } } };
    const withIndex: Graph = { ...source, nodes: [...source.nodes, which], outputs: ['which:0'] };
    for (const pred of [1, 0]) {
      const after = valid(foldConds(freezeInputValues(withIndex, { pred })));
      expect(opCounts(after).Merge).to.equal(undefined);
      // The Merge reads [else, then]: TF gives 1 when the true side ran (tfjs cannot fetch :1 to compare).
      expect(await output(after, { x: tensor('float32', [2], [1, 2]) })).to.deep.equal({ shape: [], values: [pred] });
    }
  });

  it('leaves conds on fed predicates and while loops as they are', () => {
    const fed = condGraph();
    expect(foldConds(fed)).to.equal(fed);
    const loop = whileLoopGraph();
    expect(foldConds(loop)).to.equal(loop);
  });
});
