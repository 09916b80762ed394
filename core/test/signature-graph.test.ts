import { expect } from 'chai';
import { composeSignatures, GraphError, signatureFileStem, signatureGraph, signatureKeysDefaultFirst, type Contribution, type ExportModule } from '../src/index.js';
import { denseGraph } from './support/dense-graph.js';

const T = { T: { type: 'float32' } } as const;

/** Input stage: doubled before the model, with a weight of its own. */
const doubled: ExportModule = {
  kind: 'input', name: 'doubled',
  build(ctx) {
    const input = ctx.ops.input('v', 'float32', [-1, 2]);
    const two = ctx.ops.constant('two', 'float32', [], [2]);
    return { feeds: { x: ctx.ops.node('times_two', { op: 'Mul', inputs: [input, two], attrs: T }) } };
  },
};

describe('signatureGraph', () => {
  const graph = composeSignatures(denseGraph(), { signatures: { serving_default: ['doubled'] } }, [{ plugin: 'test', value: doubled } as Contribution<ExportModule>]);

  it('keeps one signature with the nodes, weights and inputs its outputs need, and nothing of the others', () => {
    const own = signatureGraph(graph, 'source');
    expect(Object.keys(own.signatures)).to.deep.equal(['source']);
    expect(own.nodes.map((n) => n.name)).to.have.members(['x', 'w', 'mm', 'y']);
    expect([...own.constants.keys()]).to.deep.equal(['w']);
    expect(own.inputs).to.deep.equal(['x']);
    const composed = signatureGraph(graph, 'serving_default', 'renamed');
    expect(Object.keys(composed.signatures)).to.deep.equal(['renamed']);
    expect(composed.nodes.map((n) => n.name)).to.not.include.members(['x', 'mm', 'y']);
    expect(composed.nodes.map((n) => n.name)).to.include('w'); // the weight is shared with the source
    expect(composed.inputs).to.have.length(1).and.to.not.include('x');
  });

  it('orders keys default first and names files safely', () => {
    expect(signatureKeysDefaultFirst(graph)).to.deep.equal(['serving_default', 'source']);
    expect(signatureFileStem('a/b c', new Set())).to.equal('a_b_c');
    expect(signatureFileStem('model', new Set(['model']))).to.equal('signature-model');
    expect(() => signatureGraph(graph, 'nope')).to.throw(GraphError, /no signature "nope"; the graph has source, serving_default|no signature "nope"; the graph has serving_default, source/);
  });
});
