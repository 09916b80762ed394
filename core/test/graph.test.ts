import { expect } from 'chai';
import {
  assertValidGraph, attr, attrValue, findGraphProblems, GraphBuilder, GraphError, parseTensorRef, topologicalOrder, type Graph, type Node,
} from '@modelport/core';

function smallGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 4]);
  const w = b.constant('w', 'float32', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  const y = b.node('mm', { op: 'MatMul', inputs: [x, w], attrs: { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) } });
  return b.outputs(b.node('relu', { op: 'Relu', inputs: [y] })).build();
}

describe('Graph IR', () => {
  it('accepts a well-formed graph', () => {
    expect(findGraphProblems(smallGraph())).to.deep.equal([]);
  });

  it('reports every structural problem at once, naming the nodes', () => {
    const g = smallGraph();
    const broken: Graph = {
      ...g,
      nodes: [...g.nodes.filter((n) => n.name !== 'w'), { name: 'late', op: 'Relu', inputs: ['nowhere:0'], attrs: {} }],
      outputs: ['missing:0'],
    };
    const problems = findGraphProblems(broken);
    const text = problems.map((p) => `${p.node ?? ''} ${p.message}`).join('\n');
    expect(text).to.match(/mm input "w:0" names no node/);
    expect(text).to.match(/late input "nowhere:0" names no node/);
    expect(text).to.match(/graph output "missing:0" names no node/);
    expect(() => assertValidGraph(broken)).to.throw(GraphError, /3 problem/);
  });

  it('finds nodes out of topological order and a Const value of the wrong size', () => {
    const g = smallGraph();
    const reversed: Graph = { ...g, nodes: [...g.nodes].reverse(), constants: new Map([['w', { dtype: 'float32', shape: [4, 2], values: new Float32Array(3) }]]) };
    const messages = findGraphProblems(reversed).map((p) => p.message);
    expect(messages.some((m) => /comes later in the node order/.test(m))).to.equal(true);
    expect(messages).to.include('value has 3 elements, shape [4,2] needs 8');
  });

  it('orders nodes topologically, allowing the NextIteration → Merge back edge of loops', () => {
    const nodes: Node[] = [
      { name: 'merge', op: 'Merge', inputs: ['enter:0', 'next:0'], attrs: {} },
      { name: 'next', op: 'NextIteration', inputs: ['add:0'], attrs: {} },
      { name: 'add', op: 'AddV2', inputs: ['merge:0', 'merge:0'], attrs: {} },
      { name: 'enter', op: 'Enter', inputs: ['x:0'], attrs: {} },
      { name: 'x', op: 'Placeholder', inputs: [], attrs: {} },
    ];
    const order = topologicalOrder(nodes).map((n) => n.name);
    expect(order.indexOf('x')).to.be.lessThan(order.indexOf('enter'));
    expect(order.indexOf('enter')).to.be.lessThan(order.indexOf('merge'));
    expect(order.indexOf('merge')).to.be.lessThan(order.indexOf('add'));
    expect(order.indexOf('add')).to.be.lessThan(order.indexOf('next'));
  });

  it('refuses a true cycle with the node named', () => {
    const nodes: Node[] = [
      { name: 'a', op: 'Relu', inputs: ['b:0'], attrs: {} },
      { name: 'b', op: 'Relu', inputs: ['a:0'], attrs: {} },
    ];
    expect(() => topologicalOrder(nodes)).to.throw(GraphError, /cycle through "(a|b)"/);
  });

  it('reads typed attributes and names node and op when one is missing', () => {
    const node: Node = { name: 'conv', op: 'Conv2D', inputs: [], attrs: { strides: attrValue.ints([1, 2, 2, 1]), padding: attrValue.string('SAME') } };
    expect(attr.ints(node, 'strides')).to.deep.equal([1, 2, 2, 1]);
    expect(attr.string(node, 'padding')).to.equal('SAME');
    expect(attr.int(node, 'group', 1)).to.equal(1);
    expect(() => attr.float(node, 'epsilon')).to.throw(GraphError, /node "conv" \(Conv2D\): attribute "epsilon"/);
  });

  it('parses tensor references with and without an index', () => {
    expect(parseTensorRef('a/b:2')).to.deep.equal({ node: 'a/b', index: 2 });
    expect(parseTensorRef('a/b')).to.deep.equal({ node: 'a/b', index: 0 });
  });
});
