import { expect } from 'chai';
import { attrValue as a, GraphBuilder, initBackend, type Graph, type TensorData, type TensorRef } from '@modelport/core';
import { describeFailures, exportAndCompare } from './run-both.js';

/** x [12]: 9 values above 0.3, so Where(x > 0.3) has 9 rows (the export's probe run, fed ones, sees 12). */
const NINE_ABOVE: TensorData = { dtype: 'float32', shape: [12], data: Float32Array.from([0.5, 0.1, 0.9, 0.5, 0.5, 0.2, 0.9, 0.4, 0.1, 0.5, 0.35, 0.9]) };
const ALL_ABOVE: TensorData = { dtype: 'float32', shape: [12], data: Float32Array.from({ length: 12 }, (_, i) => 0.4 + i / 20) };

/** Tensors a signature may give back as they are: constants, shape reads, slices of them, the input itself. */
class OutputsGraph {
  readonly b = new GraphBuilder();
  readonly x = this.b.input('x', 'float32', [12]);
  private n = 0;
  const(dtype: 'int32' | 'float32', shape: number[], values: number[]): TensorRef { return this.b.constant(`k${this.n++}`, dtype, shape, values); }
  op(op: string, inputs: TensorRef[], attrs = {}): TensorRef { return this.b.node(`${op.toLowerCase()}${this.n++}`, { op, inputs, attrs }); }
  /** Where(x > 0.3): [n, 1] int64, n known only at run time. */
  where(): TensorRef {
    return this.op('Where', [this.op('Greater', [this.x, this.const('float32', [], [0.3])], { T: a.dtype('float32') })], { T: a.dtype('bool') });
  }
  shape(of: TensorRef, dtype: string): TensorRef { return this.op('Shape', [of], { out_type: a.dtype('int32'), T: a.dtype(dtype) }); }
  /** v[0] as a scalar (shrink_axis_mask), as TF writes `tf.shape(t)[0]`. */
  first(v: TensorRef): TensorRef {
    return this.op('StridedSlice', [v, this.const('int32', [1], [0]), this.const('int32', [1], [1]), this.const('int32', [1], [1])], {
      T: a.dtype('int32'), Index: a.dtype('int32'), shrink_axis_mask: a.int(1), begin_mask: a.int(0), end_mask: a.int(0), ellipsis_mask: a.int(0), new_axis_mask: a.int(0),
    });
  }
  /** The graph with a signature taking x (and `extraInputs`) and giving back `outputs` under their keys (a tensor may appear under several). */
  build(outputs: Record<string, TensorRef>, extraInputs: Record<string, TensorRef> = {}): Graph {
    return this.b.outputs(...new Set(Object.values(outputs))).signature('serving_default', {
      inputs: {
        x: { name: this.x, dtype: 'float32', shape: [12] },
        ...Object.fromEntries(Object.entries(extraInputs).map(([k, ref]) => [k, { name: ref, dtype: 'float32', shape: [2, 3] }])),
      },
      outputs: Object.fromEntries(Object.entries(outputs).map(([k, ref]) => [k, { name: ref, dtype: 'float32', shape: null }])),
    }).build();
  }
}

async function expectMatch(graph: Graph, x: TensorData, options = {}, more: Record<string, TensorData> = {}): Promise<void> {
  const { comparisons } = await exportAndCompare(graph, options, 1e-6, { x, ...more });
  expect(comparisons.every((c) => c.ok), describeFailures(comparisons)).to.equal(true);
}

describe('exporter-tflite: signature outputs in LiteRT.js', () => {
  before(() => initBackend());

  it('gives back a scalar sliced from a shape known only at run time, alone and under two keys', async () => {
    const g = new OutputsGraph();
    const count = g.first(g.shape(g.where(), 'int64'));
    const plusZero = g.op('AddV2', [count, g.const('int32', [], [0])], { T: a.dtype('int32') });
    await expectMatch(g.build({ count, again: count, plusZero, plusZeroAgain: plusZero }), NINE_ABOVE);
  });

  it('gives back a shape read after Where (a vector of fixed length, values known at run time)', async () => {
    const g = new OutputsGraph();
    await expectMatch(g.build({ shape: g.shape(g.where(), 'int64') }), NINE_ABOVE);
  });

  it('gives back a scalar sliced from a static shape (folded at export)', async () => {
    const g = new OutputsGraph();
    await expectMatch(g.build({ length: g.first(g.shape(g.x, 'float32')), x: g.x }), NINE_ABOVE);
  });

  it('gives back int32 and float constants, and one computed from constants only', async () => {
    const g = new OutputsGraph();
    const hundred = g.const('int32', [], [100]);
    const seven = g.op('AddV2', [g.const('int32', [], [3]), g.const('int32', [], [4])], { T: a.dtype('int32') });
    await expectMatch(g.build({ hundred, seven, pair: g.const('float32', [2], [1.5, -2.25]), x: g.x }), NINE_ABOVE);
  });

  it('keeps its input when every output is a constant or computed from constants only', async () => {
    const g = new OutputsGraph();
    const seven = g.op('AddV2', [g.const('int32', [], [3]), g.const('int32', [], [4])], { T: a.dtype('int32') });
    await expectMatch(g.build({ anchors: g.const('float32', [2, 2], [0.5, 0.5, 1.5, -2.25]), seven }), NINE_ABOVE);
  });

  it('keeps both its inputs when the outputs read only one of them', async () => {
    const g = new OutputsGraph();
    const unread = g.b.input('unread', 'float32', [2, 3]);
    const doubled = g.op('AddV2', [g.x, g.x], { T: a.dtype('float32') });
    const y: TensorData = { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    await expectMatch(g.build({ doubled }, { unread }), NINE_ABOVE, {}, { unread: y });
  });

  it('gives back a float constant stored as float16', async () => {
    const g = new OutputsGraph();
    await expectMatch(g.build({ pair: g.const('float32', [2], [1.5, -2.25]), x: g.x }), NINE_ABOVE, { float16: () => true });
  });

  it('gives back its input unchanged, alone and under two keys', async () => {
    const g = new OutputsGraph();
    await expectMatch(g.build({ same: g.x, again: g.x }), NINE_ABOVE);
  });

  it('gives back float, int32 and bool vectors sized at run time at the size the export saw, and at another size fails naming those outputs', async () => {
    const g = new OutputsGraph();
    const rows = g.op('Reshape', [g.where(), g.const('int32', [1], [-1])], { T: a.dtype('int64') });
    const picked = g.op('GatherV2', [g.x, rows, g.const('int32', [], [0])], { batch_dims: a.int(0), Tparams: a.dtype('float32') });
    const high = g.op('Greater', [picked, g.const('float32', [], [0.6])], { T: a.dtype('float32') });
    const graph = g.build({ picked, rows: g.op('Cast', [rows], { SrcT: a.dtype('int64'), DstT: a.dtype('int32') }), high });
    await expectMatch(graph, ALL_ABOVE);
    let failure: Error | undefined;
    await exportAndCompare(graph, {}, 1e-6, { x: NINE_ABOVE }).catch((e: Error) => { failure = e; });
    expect(failure?.message).to.match(/TFLite runtime.*outputs "picked" \[12\], "rows" \[12\], "high" \[12\] are sized by the data/);
  });
});
