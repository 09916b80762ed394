import { expect } from 'chai';
import { GraphBuilder, initBackend, type Graph } from '@modelport/core';
import { pruneDeadCode, type PruneDeadCodeReport } from '../src/index.js';
import { whileLoopGraph } from './fixtures.js';
import { expectSameOutputs, tensor, valid } from './helpers.js';

function pruneWithReport(graph: Graph) {
  let report: PruneDeadCodeReport | undefined;
  const out = valid(pruneDeadCode(valid(graph), { onReport: (r) => { report = r; } }));
  return { out, report: report! };
}

describe('pruneDeadCode', () => {
  before(() => initBackend());

  it('drops a dead branch with its Consts and their values, keeping unused graph inputs', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    b.input('unused', 'float32', [1]);
    const k = b.constant('k', 'float32', [2], [2, 3]);
    const dead = b.constant('dead_k', 'float32', [2], [9, 9]);
    b.node('dead/mul', { op: 'Mul', inputs: [x, dead] });
    b.node('dead/relu', { op: 'Relu', inputs: ['dead/mul:0'] });
    const graph = b.outputs(b.node('out', { op: 'Mul', inputs: [x, k] })).build();

    const { out: after, report } = pruneWithReport(graph);
    expect(report.pruned).to.deep.equal({ Const: 1, Mul: 1, Relu: 1 });
    expect(after.nodes.map((n) => n.name)).to.deep.equal(['x', 'unused', 'k', 'out']);
    expect([...after.constants.keys()]).to.deep.equal(['k']);
    expect(after.inputs).to.deep.equal(['x', 'unused']);
    await expectSameOutputs(graph, after, { x: tensor('float32', [2], [1, -1]), unused: tensor('float32', [1], [0]) });
  });

  it('keeps what control inputs reach, and what any signature needs', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    b.node('check', { op: 'Relu', inputs: [x] });
    b.node('deps', { op: 'NoOp', controlInputs: ['check'] });
    const out = b.node('out', { op: 'Neg', inputs: [x], controlInputs: ['deps'] });
    const side = b.node('side', { op: 'Square', inputs: [x] });
    b.node('dead', { op: 'Exp', inputs: [x] });
    const graph = b.outputs(out).signature('side', {
      inputs: { x: { name: x, dtype: 'float32', shape: [2] } },
      outputs: { side: { name: side, dtype: 'float32', shape: [2] } },
    }).build();

    const { out: after, report } = pruneWithReport(graph);
    expect(report.pruned).to.deep.equal({ Exp: 1 });
    expect(after.nodes.map((n) => n.name)).to.deep.equal(['x', 'check', 'deps', 'out', 'side']);
  });

  it('keeps a v1 while loop whole: its body is reached through the NextIteration → Merge back edges', async () => {
    const graph = whileLoopGraph();
    const { out: after, report } = pruneWithReport(graph);
    // Only Exit_i, the loop counter's exit that nothing reads, is dead.
    expect(report.pruned).to.deep.equal({ Exit: 1 });
    expect(after.nodes.length).to.equal(graph.nodes.length - 1);
    await expectSameOutputs(graph, after, { x: tensor('float32', [2], [0.5, -2]) });
  });

  it('returns the same graph when nothing is dead', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const graph = b.outputs(b.node('relu', { op: 'Relu', inputs: [x] })).build();
    expect(pruneDeadCode(graph)).to.equal(graph);
  });
});
