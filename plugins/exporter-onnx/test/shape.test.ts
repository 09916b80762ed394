import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

describe('exporter-onnx: shape ops', () => {
  it('matches tfjs for Reshape (-1), Squeeze, ExpandDims (negative axis) and Transpose', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 1, 3, 4]);
    const r = g.op('Reshape', [x, g.const('int32', [2], [-1, 4])]);
    const s = g.op('Squeeze', [x], { squeeze_dims: a.ints([1]) });
    const sAll = g.op('Squeeze', [x]);
    const e = g.op('ExpandDims', [s, g.const('int32', [], [-1])]);
    const t = g.op('Transpose', [x, g.const('int32', [4], [3, 0, 2, 1])]);
    expectClose(await roundTrip(g.build(r, s, sAll, e, t), { x: random('float32', [2, 1, 3, 4]) }));
  });

  it('matches tfjs for Pack / Unpack on negative axes and ConcatV2', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 3]);
    const y = g.input('y', [2, 3]);
    const p = g.op('Pack', [x, y], { axis: a.int(-1), N: a.int(2) });
    const u = g.op('Unpack', [x], { axis: a.int(-1), num: a.int(3) });
    const c = g.op('ConcatV2', [x, y, g.const('int32', [], [-1])], { N: a.int(2) });
    expectClose(await roundTrip(g.build(p, u, g.out(u, 1), g.out(u, 2), c), { x: random('float32', [2, 3], 1), y: random('float32', [2, 3], 2) }));
  });

  it('matches tfjs for Split, SplitV (with -1), Tile, Fill and BroadcastTo', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [4, 6]);
    const sp = g.op('Split', [g.const('int32', [], [1]), x], { num_split: a.int(3) });
    const sv = g.op('SplitV', [x, g.const('int32', [3], [1, -1, 2]), g.const('int32', [], [-1])], { num_split: a.int(3) });
    const ti = g.op('Tile', [x, g.const('int32', [2], [2, 1])]);
    const fi = g.op('Fill', [g.const('int32', [2], [2, 3]), g.const('float32', [], [1.5])]);
    const bt = g.op('BroadcastTo', [g.op('Reshape', [x, g.const('int32', [3], [4, 1, 6])]), g.const('int32', [3], [4, 2, 6])]);
    expectClose(await roundTrip(g.build(sp, g.out(sp, 2), sv, g.out(sv, 1), g.out(sv, 2), ti, fi, bt), { x: random('float32', [4, 6]) }));
  });

  it('matches tfjs for Shape, Size, Rank and Range, static and with a dynamic batch', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [-1, 5]);
    const shape = g.op('Shape', [x], { out_type: a.dtype('int32') });
    const size = g.op('Size', [x], { out_type: a.dtype('int32') });
    const rank = g.op('Rank', [x]);
    const n = g.op('StridedSlice', [shape, g.const('int32', [1], [0]), g.const('int32', [1], [1]), g.const('int32', [1], [1])], { shrink_axis_mask: a.int(1) });
    const range = g.op('Range', [g.const('int32', [], [0]), g.op('Mul', [n, g.const('int32', [], [3])]), g.const('int32', [], [2])], { Tidx: a.dtype('int32') });
    const frange = g.op('Range', [g.const('float32', [], [0.5]), g.const('float32', [], [3]), g.const('float32', [], [0.75])], { Tidx: a.dtype('float32') });
    expectClose(await roundTrip(g.build(shape, size, rank, range, frange), { x: random('float32', [3, 5]) }));
  });

  // tfjs has no SpaceToDepth kernel to compare with: DepthToSpace only.
  it('matches tfjs for DepthToSpace (NHWC, DCR order)', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 3, 2, 8]);
    const d = g.op('DepthToSpace', [x], { block_size: a.int(2), data_format: a.string('NHWC') });
    expectClose(await roundTrip(g.build(d), { x: random('float32', [1, 3, 2, 8]) }));
  });

  it('matches tfjs for SpaceToBatchND → conv → BatchToSpaceND (atrous), paddings known and computed', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [1, 7, 6, 2]);
    const s2b = g.op('SpaceToBatchND', [x, g.const('int32', [2], [2, 2]), g.const('int32', [2, 2], [2, 3, 2, 2])]);
    const conv = g.op('Conv2D', [s2b, g.weight([3, 3, 2, 3])], { padding: a.string('VALID'), strides: a.ints([1, 1, 1, 1]), dilations: a.ints([1, 1, 1, 1]), data_format: a.string('NHWC') });
    const b2s = g.op('BatchToSpaceND', [conv, g.const('int32', [2], [2, 2]), g.const('int32', [2, 2], [0, 1, 0, 0])]);
    // The same with crops computed from the input (as atrous convolution on unknown sizes does).
    const dims = g.op('Shape', [x], { out_type: a.dtype('int32') });
    const zero = g.op('Mul', [g.op('StridedSlice', [dims, g.const('int32', [1], [0]), g.const('int32', [1], [1]), g.const('int32', [1], [1])], { shrink_axis_mask: a.int(1) }), g.const('int32', [], [0])]);
    const crops = g.op('Reshape', [g.op('Pack', [zero, g.op('AddV2', [zero, g.const('int32', [], [1])]), zero, zero], { axis: a.int(0) }), g.const('int32', [2], [2, 2])]);
    const b2sDyn = g.op('BatchToSpaceND', [conv, g.const('int32', [2], [2, 2]), crops]);
    expectClose(await roundTrip(g.build(b2s, b2sDyn), { x: random('float32', [1, 7, 6, 2]) }));
  });
});
