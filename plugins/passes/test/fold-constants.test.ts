import { expect } from 'chai';
import { attrValue, GraphBuilder, initBackend, type Graph } from '@modelport/core';
import { foldConstants, pruneDeadCode, type FoldConstantsOptions, type FoldConstantsReport } from '../src/index.js';
import { condGraph, whileLoopGraph } from './fixtures.js';
import { expectSameOutputs, node, opCounts, tensor, valid } from './helpers.js';

async function foldWithReport(graph: Graph, options: FoldConstantsOptions = {}) {
  let report: FoldConstantsReport | undefined;
  const folded = valid(await foldConstants(valid(graph), { ...options, onReport: (r) => { report = r; } }));
  return { folded, pruned: valid(pruneDeadCode(folded)), report: report! };
}

const int = (v: number) => attrValue.int(v);
const type = (t: string) => attrValue.dtype(t);

describe('foldConstants', () => {
  before(() => initBackend());

  it('folds Const → Mul → AddV2 into the Reshape\'s shape input; pruning then drops the rest', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    const base = b.constant('base', 'int32', [2], [3, 1]);
    const two = b.constant('two', 'int32', [], [2]);
    const mul = b.node('shape/mul', { op: 'Mul', inputs: [base, two], attrs: { T: type('int32') } });
    const offset = b.constant('offset', 'int32', [2], [-3, 0]);
    const shape = b.node('shape/add', { op: 'AddV2', inputs: [mul, offset], attrs: { T: type('int32') } });
    const graph = b.outputs(b.node('reshape', { op: 'Reshape', inputs: [x, shape] })).build();

    const { folded, pruned, report } = await foldWithReport(graph);
    expect(report).to.deep.include({ constantNodes: 2, replaced: 1, created: 1, evaluations: 1 });
    expect(node(folded, 'shape/add').op).to.equal('Const');
    expect(node(folded, 'shape/add').attrs).to.deep.equal({ dtype: { type: 'int32' }, value: { tensor: { dtype: 'int32', shape: [2] } } });
    expect(Array.from(folded.constants.get('shape/add')!.values as Int32Array)).to.deep.equal([3, 2]);
    expect(pruned.nodes.map((n) => `${n.name}:${n.op}`)).to.deep.equal(['x:Placeholder', 'shape/add:Const', 'reshape:Reshape']);
    expect([...pruned.constants.keys()]).to.deep.equal(['shape/add']);
    await expectSameOutputs(graph, pruned, { x: tensor('float32', [2, 3], [1, 2, 3, 4, 5, 6]) });
  });

  it('leaves a Cast of constant floats to bool computed, so no backend\'s rounding is baked in (TensorFlow: x ≠ 0)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [4]);
    const areas = b.constant('areas', 'float32', [4], [0, 0.25, 0.5, 2.5]);
    const scaled = b.node('areas/scaled', { op: 'Mul', inputs: [areas, b.constant('one', 'float32', [], [1])] });
    const mask = b.node('mask', { op: 'Cast', inputs: [scaled], attrs: { SrcT: type('float32'), DstT: type('bool') } });
    const zeros = b.node('zeros', { op: 'ZerosLike', inputs: [x] });
    const graph = b.outputs(b.node('kept', { op: 'Select', inputs: [mask, x, zeros] })).build();

    const { folded, report } = await foldWithReport(graph);
    expect(node(folded, 'mask').op).to.equal('Cast');
    expect(node(folded, 'areas/scaled').op).to.equal('Const');
    expect(Array.from(folded.constants.get('areas/scaled')!.values as Float32Array)).to.deep.equal([0, 0.25, 0.5, 2.5]);
    expect(report.replaced).to.equal(1);
  });

  it('folds a constant graph output under its own name', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const k = b.constant('k', 'float32', [2], [1.5, -2]);
    const scale = b.node('scale', { op: 'Square', inputs: [k] });
    const graph = b.outputs(b.node('y', { op: 'Mul', inputs: [x, scale] }), scale).build();
    const { pruned } = await foldWithReport(graph);
    expect(opCounts(pruned)).to.deep.equal({ Placeholder: 1, Const: 1, Mul: 1 });
    expect(pruned.outputs).to.deep.equal(['y:0', 'scale:0']);
    await expectSameOutputs(graph, pruned, { x: tensor('float32', [2], [2, 3]) });
  });

  it('gives each output read of a multi-output node its own Const', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [3]);
    const table = b.constant('table', 'float32', [2, 3], [1, 2, 3, 4, 5, 6]);
    b.node('rows', { op: 'Unpack', inputs: [table], attrs: { axis: int(0), num: int(2), T: type('float32') } });
    const first = b.node('first', { op: 'Mul', inputs: [x, 'rows:0'] });
    const graph = b.outputs(b.node('second', { op: 'AddV2', inputs: [first, 'rows:1'] })).build();

    const { folded, pruned, report } = await foldWithReport(graph);
    expect(report).to.deep.include({ replaced: 1, created: 2 });
    expect(node(folded, 'second').inputs).to.deep.equal(['first:0', 'rows/output_1:0']);
    expect(Array.from(folded.constants.get('rows/output_1')!.values as Float32Array)).to.deep.equal([4, 5, 6]);
    expect(opCounts(pruned)).to.deep.equal({ Placeholder: 1, Const: 2, Mul: 1, AddV2: 1 });
    await expectSameOutputs(graph, pruned, { x: tensor('float32', [3], [1, -1, 0.5]) });
  });

  it('drops control inputs naming constants, except where tfjs reads them as data (AddN): that constant is folded instead', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const k = b.constant('k', 'float32', [2], [1, 2]);
    b.node('check', { op: 'Neg', inputs: [k] });
    b.node('check2', { op: 'Square', inputs: [k] });
    const y = b.node('y', { op: 'Relu', inputs: [x], controlInputs: ['check', 'k'] });
    const z = b.node('z', { op: 'AddN', inputs: [x, x], attrs: { N: int(2) }, controlInputs: ['check2'] });
    const graph = b.outputs(y, z).build();

    const { pruned, report } = await foldWithReport(graph);
    expect(report).to.deep.include({ controlEdgesDropped: 2, replaced: 1 });
    expect(node(pruned, 'y').controlInputs).to.equal(undefined);
    expect(node(pruned, 'z').controlInputs).to.deep.equal(['check2']);
    expect(node(pruned, 'check2').op).to.equal('Const');
    expect(opCounts(pruned)).to.deep.equal({ Placeholder: 1, Const: 1, Relu: 1, AddN: 1 });
    await expectSameOutputs(graph, pruned, { x: tensor('float32', [2], [3, -4]) });
  });

  it('counts Consts gated only by unconditional nodes (a graph input, as grappler writes them) as constants', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const k = b.constant('k', 'float32', [2], [1, 2]);
    const w = b.constant('w', 'float32', [2], [3, 4]);
    const sq = b.node('sq', { op: 'Square', inputs: [k], controlInputs: ['x'] });
    const built = b.outputs(b.node('y', { op: 'Mul', inputs: [x, sq] }), b.node('z', { op: 'Mul', inputs: [x, w] })).build();
    const graph: Graph = { ...built, nodes: built.nodes.map((n) => (n.op === 'Const' ? { ...n, controlInputs: ['x'] } : n)) };

    const { pruned, report } = await foldWithReport(graph);
    expect(report).to.deep.include({ constantNodes: 1, replaced: 1, controlEdgesDropped: 3 });
    expect(pruned.nodes.map((n) => `${n.name}:${n.op}${n.controlInputs ? `^${n.controlInputs}` : ''}`)).to.deep.equal(['x:Placeholder', 'w:Const', 'sq:Const', 'y:Mul', 'z:Mul']);
    await expectSameOutputs(graph, pruned, { x: tensor('float32', [2], [5, 6]) });
  });

  it('keeps the dtype the graph declares (Cast to int64) although tfjs computes int32', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'int32', [2]);
    const k = b.constant('k', 'float32', [2], [2.7, -1.2]);
    const cast = b.node('cast', { op: 'Cast', inputs: [k], attrs: { SrcT: type('float32'), DstT: type('int64') } });
    const graph = b.outputs(b.node('y', { op: 'AddV2', inputs: [x, cast] })).build();
    const { pruned } = await foldWithReport(graph);
    const value = pruned.constants.get('cast')!;
    expect(value.dtype).to.equal('int64');
    expect(Array.from(value.values as BigInt64Array)).to.deep.equal([2n, -1n]);
    expect(node(pruned, 'cast').attrs.dtype).to.deep.equal({ type: 'int64' });
    await expectSameOutputs(graph, pruned, { x: tensor('int32', [2], [10, 20]) });
  });

  it('refuses a tensor above foldMaxElements and folds its inputs instead', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [64, 64]);
    const dims = b.node('dims', { op: 'Mul', inputs: [b.constant('half', 'int32', [2], [32, 32]), b.constant('two', 'int32', [], [2])] });
    const fill = b.node('fill', { op: 'Fill', inputs: [dims, b.constant('v', 'float32', [], [0.5])], attrs: { T: type('float32') } });
    const graph = b.outputs(b.node('y', { op: 'AddV2', inputs: [x, fill] })).build();

    const { folded, pruned, report } = await foldWithReport(graph, { maxElements: 1000 });
    expect(report.refused).to.deep.equal({ 'too-many-elements': 1 });
    expect(report.evaluations).to.equal(2);
    expect(node(folded, 'fill').op).to.equal('Fill');
    expect(node(folded, 'dims').op).to.equal('Const');
    expect(opCounts(pruned)).to.deep.equal({ Placeholder: 1, Const: 2, Fill: 1, AddV2: 1 });
    await expectSameOutputs(graph, pruned, { x: tensor('float32', [64, 64], Array.from({ length: 4096 }, (_, i) => i / 100)) });
  });

  it('refuses a tensor that would grow the weights more than foldMaxGrowth (Tile), but folds small ones', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [4, 1024]);
    const row = b.constant('row', 'float32', [4, 1], [1, 2, 3, 4]);
    const tiled = b.node('tiled', { op: 'Tile', inputs: [row, b.constant('reps', 'int32', [2], [1, 1024])] });
    const smallTile = b.node('small', { op: 'Tile', inputs: [row, b.constant('reps_small', 'int32', [2], [1, 8])] });
    const graph = b.outputs(b.node('y', { op: 'Mul', inputs: [x, tiled] }), b.node('z', { op: 'Neg', inputs: [smallTile] })).build();

    const { pruned, report } = await foldWithReport(graph);
    expect(report.refused).to.deep.equal({ 'grows-the-weights': 1 });
    expect(node(pruned, 'tiled').op).to.equal('Tile');
    expect(node(pruned, 'z').op).to.equal('Const'); // 32 elements: small enough to fold whatever the growth
    await expectSameOutputs(graph, pruned, { x: tensor('float32', [4, 1024], Array.from({ length: 4096 }, (_, i) => i % 7)) });
  });

  it('never folds random ops, what reads a feed, or Consts gated by a cond pivot or a loop frame', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const shape = b.constant('shape', 'int32', [1], [2]);
    const noise = b.node('noise', { op: 'RandomUniform', inputs: [shape], attrs: { dtype: type('float32'), seed: int(1), seed2: int(2) } });
    const graph = b.outputs(b.node('y', { op: 'AddV2', inputs: [x, noise] })).build();
    const { folded, report } = await foldWithReport(graph);
    expect(report).to.deep.include({ constantNodes: 0, replaced: 0, evaluations: 0 });
    expect(folded).to.equal(graph);

    // tfjs reads AddN's control inputs as data: an AddN of constants with one stays as it is.
    const c = new GraphBuilder();
    const y = c.input('y', 'float32', [2]);
    const k = c.constant('k', 'float32', [2], [1, 2]);
    const sum = c.node('sum', { op: 'AddN', inputs: [k, k], attrs: { N: int(2) }, controlInputs: ['y'] });
    const withAddN = c.outputs(c.node('out', { op: 'Mul', inputs: [y, sum] })).build();
    expect((await foldWithReport(withAddN)).folded).to.equal(withAddN);

    for (const fixture of [condGraph(), whileLoopGraph()]) {
      const r = await foldWithReport(fixture);
      expect(r.report.constantNodes, 'gated Consts are not constant').to.equal(0);
      expect(r.folded).to.equal(fixture);
    }
  });

  it('folds the constant part feeding a v1 loop and keeps the loop running', async () => {
    const graph = whileLoopGraph({ computedLimit: true });
    const { pruned, report } = await foldWithReport(graph);
    expect(report).to.deep.include({ constantNodes: 1, replaced: 1 });
    expect(node(pruned, 'limit').op).to.equal('Const');
    expect(pruned.nodes.length).to.equal(graph.nodes.length - 3); // limit/a, limit/b, and the unread Exit_i
    await expectSameOutputs(graph, pruned, { x: tensor('float32', [2], [1, 2]) });
  });
});
