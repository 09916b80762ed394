import { expect } from 'chai';
import { attrValue, GraphBuilder, initBackend } from '@modelport/core';
import { removeIdentity, type RemoveIdentityReport } from '../src/index.js';
import { condGraph, whileLoopGraph } from './fixtures.js';
import { expectSameOutputs, node, opCounts, tensor, valid } from './helpers.js';

function removeWithReport(graph: Parameters<typeof removeIdentity>[0]) {
  let report: RemoveIdentityReport | undefined;
  const out = valid(removeIdentity(valid(graph), { onReport: (r) => { report = r; } }));
  return { out, report: report! };
}

describe('removeIdentity', () => {
  before(() => initBackend());

  it('removes an Identity/StopGradient chain, rewires readers, keeps the output Identity, and keeps outputs equal', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    const id1 = b.node('id1', { op: 'Identity', inputs: [x] });
    const id2 = b.node('id2', { op: 'StopGradient', inputs: [id1] });
    const relu = b.node('relu', { op: 'Relu', inputs: [id2] });
    const id3 = b.node('id3', { op: 'Snapshot', inputs: [relu] });
    const neg = b.node('neg', { op: 'Neg', inputs: [id3] });
    const out = b.node('out', { op: 'Identity', inputs: [neg] });
    const graph = b.outputs(out).build();

    const { out: after, report } = removeWithReport(graph);
    expect(report.removed).to.deep.equal({ Identity: 1, StopGradient: 1, Snapshot: 1 });
    expect(report.kept).to.deep.equal({ 'names-a-graph-tensor': 1 });
    expect(after.nodes.map((n) => n.name)).to.deep.equal(['x', 'relu', 'neg', 'out']);
    expect(node(after, 'relu').inputs).to.deep.equal(['x:0']);
    expect(node(after, 'neg').inputs).to.deep.equal(['relu:0']);
    expect(after.outputs).to.deep.equal(['out:0']);
    await expectSameOutputs(graph, after, { x: tensor('float32', [2, 3], [-1, 2, -3, 4, -5, 6]) });
  });

  it('drops NoOps and gives their readers the NoOps\' own control inputs', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [3]);
    const k = b.constant('k', 'float32', [3], [1, 2, 3]);
    b.node('a', { op: 'Relu', inputs: [x] });
    b.node('init', { op: 'NoOp', controlInputs: ['a'] });
    b.node('group_deps', { op: 'NoOp', controlInputs: ['init', 'k'] });
    const m = b.node('m', { op: 'Mul', inputs: [x, k], controlInputs: ['group_deps'] });
    const graph = b.outputs(m).build();

    const { out: after, report } = removeWithReport(graph);
    expect(report.removed).to.deep.equal({ NoOp: 2 });
    expect(opCounts(after).NoOp).to.equal(undefined);
    expect(node(after, 'm').controlInputs).to.deep.equal(['a', 'k']);
    await expectSameOutputs(graph, after, { x: tensor('float32', [3], [1, -1, 2]) });
  });

  it('keeps a NoOp that would multiply control edges (3 control inputs × 3 readers)', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [3]);
    for (const name of ['a', 'b', 'c']) b.node(name, { op: 'Relu', inputs: [x] });
    b.node('deps', { op: 'NoOp', controlInputs: ['a', 'b', 'c'] });
    const outs = ['p', 'q', 'r'].map((name) => b.node(name, { op: 'Neg', inputs: [x], controlInputs: ['deps'] }));
    const graph = b.outputs(...outs).build();
    const { out: after, report } = removeWithReport(graph);
    expect(report.kept).to.deep.equal({ 'would-multiply-control-edges': 1 });
    expect(after).to.equal(graph);
  });

  it('turns a control input on a removed Identity into one on its producer, plus the Identity\'s own control inputs', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [3]);
    const a = b.node('a', { op: 'Relu', inputs: [x] });
    b.node('sq', { op: 'Square', inputs: [x] });
    const ida = b.node('ida', { op: 'Identity', inputs: [a], controlInputs: ['sq'] });
    const neg = b.node('neg', { op: 'Neg', inputs: [x], controlInputs: ['ida'] });
    const sum = b.node('sum', { op: 'AddV2', inputs: [ida, neg] });
    const graph = b.outputs(sum).build();

    const { out: after } = removeWithReport(graph);
    expect(node(after, 'neg').controlInputs).to.deep.equal(['a', 'sq']);
    expect(node(after, 'sum').inputs).to.deep.equal(['a:0', 'neg:0']);
    expect(node(after, 'sum').controlInputs).to.deep.equal(['sq']);
    await expectSameOutputs(graph, after, { x: tensor('float32', [3], [1, -2, 3]) });
  });

  it('keeps an Identity with control inputs when its reader (ConcatV2) would read them as data', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    b.node('sq', { op: 'Square', inputs: [x] });
    const relu = b.node('relu', { op: 'Relu', inputs: [x] });
    const id = b.node('id', { op: 'Identity', inputs: [relu], controlInputs: ['sq'] });
    const axis = b.constant('axis', 'int32', [], [0]);
    const cat = b.node('cat', { op: 'ConcatV2', inputs: [id, x, axis], attrs: { N: attrValue.int(2) } });
    const graph = b.outputs(cat).build();

    const { out: after, report } = removeWithReport(graph);
    expect(report.removed).to.deep.equal({});
    expect(report.kept).to.deep.equal({ 'consumer-cannot-take-control-inputs': 1 });
    expect(after).to.equal(graph);
    await expectSameOutputs(graph, after, { x: tensor('float32', [2], [-1, 2]) });
  });

  it('keeps an Identity a signature names, even when it is not a graph output', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const feature = b.node('feature', { op: 'Identity', inputs: [b.node('relu', { op: 'Relu', inputs: [x] })] });
    const out = b.node('out', { op: 'Neg', inputs: [feature] });
    const graph = b.outputs(out).signature('features', {
      inputs: { x: { name: x, dtype: 'float32', shape: [2] } },
      outputs: { feature: { name: feature, dtype: 'float32', shape: [2] } },
    }).build();
    const { out: after, report } = removeWithReport(graph);
    expect(report.kept).to.deep.equal({ 'names-a-graph-tensor': 1 });
    expect(node(after, 'feature').op).to.equal('Identity');
  });

  it('keeps the pivots of a v1 cond, removes Identities inside the branches, and both branches still agree', async () => {
    const graph = condGraph();
    const { out: after, report } = removeWithReport(graph);
    // then/relu_identity and the two Identities gating Consts go; the pivots (after Switch) and the output stay.
    expect(report.removed).to.deep.equal({ Identity: 3 });
    expect(report.kept).to.deep.equal({ 'after-control-flow': 2, 'names-a-graph-tensor': 1 });
    expect(node(after, 'cond/pivot_t').op).to.equal('Identity');
    expect(node(after, 'cond/then/mul').inputs).to.deep.equal(['cond/then/relu:0', 'cond/three:0']);
    expect(node(after, 'cond/then/mul').controlInputs).to.deep.equal(['cond/pivot_t']);
    expect(node(after, 'cond/else/mul').controlInputs).to.deep.equal(['cond/pivot_f']);
    const x = tensor('float32', [2], [-2, 5]);
    for (const pred of [0, 1]) await expectSameOutputs(graph, after, { x, pred: tensor('bool', [], [pred]) });
  });

  it('keeps the Identities after a while loop\'s Switch and removes the one in its body; the loop still runs', async () => {
    const graph = whileLoopGraph();
    const { out: after, report } = removeWithReport(graph);
    expect(report.removed).to.deep.equal({ Identity: 3 });
    expect(report.kept).to.deep.equal({ 'after-control-flow': 2 });
    expect(node(after, 'while/NextIteration_acc').inputs).to.deep.equal(['while/mul:0']);
    expect(node(after, 'while/add').controlInputs).to.deep.equal(['while/Identity_i']);
    await expectSameOutputs(graph, after, { x: tensor('float32', [2], [1.5, -3]) });
  });

  it('returns the same graph when there is nothing to remove', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const graph = b.outputs(b.node('relu', { op: 'Relu', inputs: [x] })).build();
    expect(removeIdentity(graph)).to.equal(graph);
  });
});
