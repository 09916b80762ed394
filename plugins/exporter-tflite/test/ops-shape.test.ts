import { expect } from 'chai';
import { attrValue, GraphBuilder, initBackend, tensorRef } from '@modelport/core';
import { describeFailures, exportAndCompare } from './run-both.js';
import { opGraph, type OpCase } from './op-graph.js';

async function expectMatch(c: OpCase): Promise<readonly string[]> {
  const { comparisons, ops } = await exportAndCompare(opGraph(c));
  expect(comparisons.every((x) => x.ok), describeFailures(comparisons)).to.equal(true);
  return ops;
}
const int32 = (shape: number[], values: number[]) => ({ constant: shape, dtype: 'int32' as const, values });
const ss = (begin: number, end: number, ellipsis = 0, newAxis = 0, shrink = 0) => ({
  begin_mask: attrValue.int(begin), end_mask: attrValue.int(end), ellipsis_mask: attrValue.int(ellipsis), new_axis_mask: attrValue.int(newAxis), shrink_axis_mask: attrValue.int(shrink),
});

describe('exporter-tflite: shape and layout ops in LiteRT.js', () => {
  before(() => initBackend());

  it('Reshape with -1 becomes a static RESHAPE', () => expectMatch({ op: 'Reshape', inputs: [{ feed: [2, 3, 4] }, int32([2], [-1, 4])] }));
  it('Squeeze with a negative axis', () => expectMatch({ op: 'Squeeze', inputs: [{ feed: [2, 1, 3, 1] }], attrs: { squeeze_dims: attrValue.ints([-1]) } }));
  it('ExpandDims with a negative axis', () => expectMatch({ op: 'ExpandDims', inputs: [{ feed: [2, 3] }, int32([], [-1])] }));
  it('Transpose', () => expectMatch({ op: 'Transpose', inputs: [{ feed: [2, 3, 4] }, int32([3], [2, 0, 1])] }));
  it('Tile', () => expectMatch({ op: 'Tile', inputs: [{ feed: [2, 3] }, int32([2], [2, 3])] }));
  it('BroadcastTo', () => expectMatch({ op: 'BroadcastTo', inputs: [{ feed: [3, 1] }, int32([3], [2, 3, 4])] }));
  it('ConcatV2 on a negative axis', () => expectMatch({ op: 'ConcatV2', inputs: [{ feed: [2, 3] }, { constant: [2, 2] }, int32([], [-1])], attrs: { N: attrValue.int(2) } }));
  it('Pack on a negative axis', () => expectMatch({ op: 'Pack', inputs: [{ feed: [2, 3] }, { constant: [2, 3] }], attrs: { N: attrValue.int(2), axis: attrValue.int(-1) } }));
  it('Unpack along axis 1 gives every output', () => expectMatch({ op: 'Unpack', inputs: [{ feed: [2, 3, 2] }], attrs: { num: attrValue.int(3), axis: attrValue.int(1) }, outputs: 3 }));
  it('Split into 3 along a negative axis', () => expectMatch({ op: 'Split', inputs: [int32([], [-1]), { feed: [2, 6] }], attrs: { num_split: attrValue.int(3), T: attrValue.dtype('float32') }, outputs: 3 }));
  it('SplitV with a -1 size', () => expectMatch({ op: 'SplitV', inputs: [{ feed: [7, 2] }, int32([3], [2, -1, 1]), int32([], [0])], attrs: { num_split: attrValue.int(3) }, outputs: 3 }));
  it('DepthToSpace', () => expectMatch({ op: 'DepthToSpace', inputs: [{ feed: [1, 2, 3, 8] }], attrs: { block_size: attrValue.int(2), data_format: attrValue.string('NHWC') } }));
  it('SpaceToBatchND and BatchToSpaceND', async () => {
    await expectMatch({ op: 'SpaceToBatchND', inputs: [{ feed: [1, 4, 6, 2] }, int32([2], [2, 2]), int32([2, 2], [0, 0, 1, 1])] });
    await expectMatch({ op: 'BatchToSpaceND', inputs: [{ feed: [4, 2, 3, 2] }, int32([2], [2, 2]), int32([2, 2], [0, 0, 1, 1])] });
  });

  it('folds Shape → StridedSlice → Pack → Reshape into a static RESHAPE', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [-1, 4, 6]);
    b.node('shape', { op: 'Shape', inputs: [x], attrs: { out_type: attrValue.dtype('int32') } });
    b.constant('b', 'int32', [1], [0]); b.constant('e', 'int32', [1], [1]); b.constant('s', 'int32', [1], [1]);
    b.node('batch', { op: 'StridedSlice', inputs: ['shape:0', 'b:0', 'e:0', 's:0'], attrs: { ...ss(0, 0, 0, 0, 1), T: attrValue.dtype('int32') } });
    b.constant('minus1', 'int32', [], [-1]);
    b.node('target', { op: 'Pack', inputs: ['batch:0', 'minus1:0'], attrs: { N: attrValue.int(2), axis: attrValue.int(0), T: attrValue.dtype('int32') } });
    b.node('flat', { op: 'Reshape', inputs: [x, 'target:0'], attrs: { T: attrValue.dtype('float32') } });
    b.outputs(tensorRef('flat'));
    const { comparisons, ops } = await exportAndCompare(b.build());
    expect(comparisons.every((c) => c.ok), describeFailures(comparisons)).to.equal(true);
    expect(ops).to.deep.equal(['RESHAPE']);
  });
});

describe('exporter-tflite: slicing and gathering in LiteRT.js', () => {
  before(() => initBackend());

  const x = { feed: [3, 5, 4] };
  it('StridedSlice with strides and negative begin/end', () => expectMatch({ op: 'StridedSlice', inputs: [x, int32([3], [0, -4, 1]), int32([3], [3, -1, 4]), int32([3], [2, 1, 2])], attrs: ss(0, 0) }));
  it('StridedSlice with a negative stride running through index 0', () => expectMatch({ op: 'StridedSlice', inputs: [x, int32([2], [0, 3]), int32([2], [0, 0]), int32([2], [1, -1])], attrs: ss(1, 3) }));
  it('StridedSlice with shrink_axis_mask', () => expectMatch({ op: 'StridedSlice', inputs: [x, int32([2], [1, 0]), int32([2], [2, 5]), int32([2], [1, 1])], attrs: ss(0, 2, 0, 0, 1) }));
  it('StridedSlice with an ellipsis and a new axis', () => expectMatch({ op: 'StridedSlice', inputs: [x, int32([3], [0, 0, 1]), int32([3], [0, 0, 3]), int32([3], [1, 1, 1])], attrs: ss(0, 0, 1, 2) }));
  it('StridedSlice with begin/end masks on every axis', () => expectMatch({ op: 'StridedSlice', inputs: [x, int32([3], [5, 5, 5]), int32([3], [0, 0, 0]), int32([3], [1, 2, -1])], attrs: ss(7, 7) }));
  it('Slice with a -1 size', () => expectMatch({ op: 'Slice', inputs: [x, int32([3], [1, 2, 0]), int32([3], [2, -1, 3])] }));
  it('GatherV2 on a negative axis', () => expectMatch({ op: 'GatherV2', inputs: [x, int32([2, 2], [3, 0, 1, 1]), int32([], [-1])], attrs: { batch_dims: attrValue.int(0) } }));
  it('GatherV2 with batch_dims 1 (checked by hand: tfjs 4.22 wasm returns garbage here)', async () => {
    const graph = opGraph({ op: 'GatherV2', inputs: [x, int32([3, 2], [0, 4, 1, 2, 3, 3]), int32([], [1])], attrs: { batch_dims: attrValue.int(1) } });
    const { outputs } = await exportAndCompare(graph, {}, 1e-4, { x0: { dtype: 'float32', shape: [3, 5, 4], data: Float32Array.from({ length: 60 }, (_, i) => i) } });
    const rows = [[0, 0], [0, 4], [1, 1], [1, 2], [2, 3], [2, 3]].flatMap(([b, r]) => [0, 1, 2, 3].map((k) => b! * 20 + r! * 4 + k));
    expect(outputs.op!.shape).to.deep.equal([3, 2, 4]);
    expect(Array.from(outputs.op!.data as Float32Array)).to.deep.equal(rows);
  });
  it('GatherNd', () => expectMatch({ op: 'GatherNd', inputs: [x, int32([2, 2], [2, 4, 0, 1])], attrs: { Tparams: attrValue.dtype('float32') } }));
  it('TopKV2 returns values and int32 indices', () => expectMatch({ op: 'TopKV2', inputs: [{ feed: [2, 9] }, int32([], [4])], attrs: { sorted: attrValue.bool(true) }, outputs: 2 }));
  it('ArgMax and ArgMin on a negative axis', async () => {
    await expectMatch({ op: 'ArgMax', inputs: [x, int32([], [-2])], attrs: { output_type: attrValue.dtype('int32') } });
    await expectMatch({ op: 'ArgMin', inputs: [x, int32([], [1])], attrs: { output_type: attrValue.dtype('int32') } });
  });
});

describe('exporter-tflite: reductions, resizing, padding in LiteRT.js', () => {
  before(() => initBackend());

  for (const op of ['Mean', 'Sum', 'Max', 'Min', 'Prod']) {
    it(`${op} over negative axes, keep_dims true and false`, async () => {
      await expectMatch({ op, inputs: [{ feed: [2, 3, 4] }, int32([2], [-1, 0])], attrs: { keep_dims: attrValue.bool(true) } });
      await expectMatch({ op, inputs: [{ feed: [2, 3, 4] }, int32([1], [-2])], attrs: { keep_dims: attrValue.bool(false) } });
    });
  }
  for (const [ac, hp] of [[false, false], [true, false], [false, true]] as const) {
    it(`ResizeBilinear align_corners=${ac} half_pixel_centers=${hp}, odd sizes`, () => expectMatch({ op: 'ResizeBilinear', inputs: [{ feed: [1, 5, 7, 2] }, int32([2], [9, 4])], attrs: { align_corners: attrValue.bool(ac), half_pixel_centers: attrValue.bool(hp) } }));
    it(`ResizeNearestNeighbor align_corners=${ac} half_pixel_centers=${hp}`, () => expectMatch({ op: 'ResizeNearestNeighbor', inputs: [{ feed: [1, 5, 7, 2] }, int32([2], [9, 4])], attrs: { align_corners: attrValue.bool(ac), half_pixel_centers: attrValue.bool(hp) } }));
  }
  it('Pad', () => expectMatch({ op: 'Pad', inputs: [{ feed: [1, 3, 4, 2] }, int32([4, 2], [0, 0, 1, 2, 0, 1, 0, 0])] }));
  it('PadV2 with a constant value', async () => {
    const ops = await expectMatch({ op: 'PadV2', inputs: [{ feed: [2, 3] }, int32([2, 2], [1, 0, 2, 1]), { constant: [], values: [1.5] }] });
    expect(ops).to.deep.equal(['PADV2']);
  });
  for (const mode of ['REFLECT', 'SYMMETRIC']) {
    it(`MirrorPad ${mode}`, () => expectMatch({ op: 'MirrorPad', inputs: [{ feed: [1, 4, 5, 2] }, int32([4, 2], [0, 0, 2, 1, 1, 2, 0, 0])], attrs: { mode: attrValue.string(mode) } }));
  }
  it('FusedBatchNormV3 becomes MUL + ADD with folded statistics', async () => {
    const ops = await expectMatch({ op: 'FusedBatchNormV3', inputs: [{ feed: [1, 3, 3, 4] }, { constant: [4] }, { constant: [4] }, { constant: [4] }, { constant: [4], values: [0.5, 1, 2, 0.1] }],
      attrs: { epsilon: attrValue.float(0.001), data_format: attrValue.string('NHWC'), is_training: attrValue.bool(false) } });
    expect(ops).to.deep.equal(['MUL', 'ADD']);
  });
});
