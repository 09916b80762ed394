import { expect } from 'chai';
import { UnsupportedOpsError } from '@modelport/core';
import { exportOnnx } from '../src/index.js';
import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip, tensor } from './helpers/roundtrip.js';

describe('exporter-onnx: gathers and scatters', () => {
  it('matches tfjs for GatherV2 on a negative axis, Gather, and GatherNd', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [3, 4, 5]);
    const i = g.input('i', [2, 2], 'int32');
    const g1 = g.op('GatherV2', [x, i, g.const('int32', [], [-1])], { batch_dims: a.int(0) });
    const g2 = g.op('Gather', [x, g.const('int32', [2], [2, 0])]);
    const nd = g.op('GatherNd', [x, g.const('int32', [2, 2], [0, 1, 2, 3])]);
    expectClose(await roundTrip(g.build(g1, g2, nd), { x: random('float32', [3, 4, 5]), i: tensor('int32', [2, 2], [0, 3, 1, 2]) }));
  });

  it('matches tfjs for SparseToDense', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [4]);
    const dense = g.op('SparseToDense', [g.const('int32', [2, 2], [0, 1, 2, 3]), g.const('int32', [2], [3, 4]), g.const('float32', [2], [5, 6]), g.const('float32', [], [0.5])]);
    const y = g.op('Mul', [dense, x]);
    expectClose(await roundTrip(g.build(y), { x: random('float32', [4]) }));
  });

  it('refuses GatherV2 with batch_dims, listing the node', () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 3]);
    const y = g.op('GatherV2', [x, g.const('int32', [2, 1], [0, 2]), g.const('int32', [], [1])], { batch_dims: a.int(1) }, 'batched');
    expect(() => exportOnnx(g.build(y), { opset: 17, optimize: true })).to.throw(UnsupportedOpsError, /"batched" \(GatherV2 \(batch_dims=1\)\)/);
  });
});
