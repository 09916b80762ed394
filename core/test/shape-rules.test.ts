import { expect } from 'chai';
import {
  attrValue, evaluateDim, formatShape, GraphBuilder, GraphExecutor, inferShapes, initBackend, randomTensor, seededRandom,
  type Graph, type TensorRef,
} from '../src/index.js';

/** Input sizes each rule graph runs at: odd and even, batch 1 and 2. */
const SIZES = [{ N: 1, H: 17, W: 24 }, { N: 2, H: 32, W: 9 }, { N: 1, H: 5, W: 6 }];

function imageGraph(build: (b: GraphBuilder, x: TensorRef) => TensorRef): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, -1, -1, 3]);
  return b.outputs(build(b, x)).build();
}

const filter = (b: GraphBuilder, shape: number[]) => b.constant(b.uniqueName('w'), 'float32', shape, Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => (i % 7) / 7));
const ints = (b: GraphBuilder, values: number[]) => b.constant(b.uniqueName('c'), 'int32', [values.length], values);
const scalarInt = (b: GraphBuilder, v: number) => b.constant(b.uniqueName('s'), 'int32', [], [v]);

/** The inferred output shape as text, after checking it against tfjs at every size in SIZES. */
async function inferredAndChecked(graph: Graph): Promise<string> {
  const inference = inferShapes(graph);
  const ref = graph.outputs[0]!;
  const shape = inference.shape(ref);
  const executor = await GraphExecutor.create(graph);
  try {
    for (const [k, size] of SIZES.entries()) {
      const [got] = await executor.run({ x: randomTensor('float32', [size.N, size.H, size.W, 3], seededRandom(k + 1)) }, [ref]);
      const want = shape?.map((d) => (d === null ? undefined : evaluateDim(d, (s) => size[s as 'N' | 'H' | 'W'])));
      expect(want, `${formatShape(shape)} at ${JSON.stringify(size)}`).to.deep.equal(got!.shape);
    }
  } finally {
    executor.dispose();
  }
  return formatShape(shape);
}

const conv = (padding: string, strides: number, dilation = 1, explicit: number[] = []) => imageGraph((b, x) => b.node('conv', {
  op: 'Conv2D', inputs: [x, filter(b, [3, 3, 3, 8])],
  attrs: { strides: attrValue.ints([1, strides, strides, 1]), dilations: attrValue.ints([1, dilation, dilation, 1]), padding: attrValue.string(padding), explicit_paddings: attrValue.ints(explicit), data_format: attrValue.string('NHWC') },
}));

describe('shape rules, checked against tfjs', function () {
  this.timeout(60_000);
  before(() => initBackend());

  it('Conv2D: SAME is ceil(in/stride), VALID floor((in − effective kernel)/stride) + 1, EXPLICIT adds its pads', async () => {
    expect(await inferredAndChecked(conv('SAME', 2))).to.equal('[N, ceil(H/2), ceil(W/2), 8]');
    expect(await inferredAndChecked(conv('VALID', 1, 2))).to.equal('[N, H - 4, W - 4, 8]');
    expect(await inferredAndChecked(conv('VALID', 3))).to.equal('[N, floor(H/3), floor(W/3), 8]');
    expect(await inferredAndChecked(conv('EXPLICIT', 2, 1, [0, 0, 1, 2, 1, 2, 0, 0]))).to.equal('[N, floor(H/2) + 1, floor(W/2) + 1, 8]');
  });

  it('depthwise convolution multiplies channels; pools keep them', async () => {
    expect(await inferredAndChecked(imageGraph((b, x) => b.node('dw', {
      op: 'DepthwiseConv2dNative', inputs: [x, filter(b, [3, 3, 3, 2])],
      attrs: { strides: attrValue.ints([1, 2, 2, 1]), dilations: attrValue.ints([1, 1, 1, 1]), padding: attrValue.string('VALID') },
    })))).to.equal('[N, ceil(H/2) - 1, ceil(W/2) - 1, 6]');
    expect(await inferredAndChecked(imageGraph((b, x) => b.node('pool', {
      op: 'MaxPool', inputs: [x], attrs: { ksize: attrValue.ints([1, 3, 3, 1]), strides: attrValue.ints([1, 2, 2, 1]), padding: attrValue.string('SAME') },
    })))).to.equal('[N, ceil(H/2), ceil(W/2), 3]');
    expect(await inferredAndChecked(imageGraph((b, x) => b.node('pool', {
      op: 'AvgPool', inputs: [x], attrs: { ksize: attrValue.ints([1, 2, 2, 1]), strides: attrValue.ints([1, 2, 2, 1]), padding: attrValue.string('VALID') },
    })))).to.equal('[N, floor(H/2), floor(W/2), 3]');
  });

  it('ConcatV2 sums the axis, Reshape solves -1, Transpose permutes', async () => {
    expect(await inferredAndChecked(imageGraph((b, x) => b.node('cat', { op: 'ConcatV2', inputs: [x, x, scalarInt(b, -3)], attrs: { N: attrValue.int(2) } })))).to.equal('[N, 2*H, W, 3]');
    expect(await inferredAndChecked(imageGraph((b, x) => b.node('flat', { op: 'Reshape', inputs: [x, ints(b, [-1, 3])] })))).to.equal('[H*N*W, 3]');
    // The target built from the input's own shape: [N, -1], so -1 is H·W·3.
    expect(await inferredAndChecked(imageGraph((b, x) => {
      const shape = b.node('shape', { op: 'Shape', inputs: [x], attrs: { out_type: attrValue.dtype('int32') } });
      const n = b.node('n', { op: 'StridedSlice', inputs: [shape, ints(b, [0]), ints(b, [1]), ints(b, [1])], attrs: { shrink_axis_mask: attrValue.int(1) } });
      const target = b.node('target', { op: 'Pack', inputs: [n, scalarInt(b, -1)], attrs: { axis: attrValue.int(0), N: attrValue.int(2) } });
      return b.node('reshape', { op: 'Reshape', inputs: [x, target] });
    }))).to.equal('[N, 3*H*W]');
    expect(await inferredAndChecked(imageGraph((b, x) => b.node('t', { op: 'Transpose', inputs: [x, ints(b, [0, 3, 1, 2])] })))).to.equal('[N, 3, H, W]');
  });

  it('StridedSlice: begin/end masks, negative bounds, strides, ellipsis, new and shrunk axes', async () => {
    // Bounds are clamped into each dim as TensorFlow does; dims may be 0, so min/max stay where they matter.
    const slice = (begin: number[], end: number[], strides: number[], masks: Record<string, number>) => imageGraph((b, x) => b.node('ss', {
      op: 'StridedSlice', inputs: [x, ints(b, begin), ints(b, end), ints(b, strides)],
      attrs: Object.fromEntries(Object.entries(masks).map(([k, v]) => [k, attrValue.int(v)])),
    }));
    expect(await inferredAndChecked(slice([0, 1, 0, 0], [0, -1, 0, 2], [1, 1, 2, 1], { begin_mask: 0b0101, end_mask: 0b0101 }))).to.equal('[N, max(0, max(0, H - 1) - min(1, H)), ceil(W/2), 2]');
    expect(await inferredAndChecked(slice([0, 0], [0, 1], [1, 1], { ellipsis_mask: 1, shrink_axis_mask: 2 }))).to.equal('[N, H, W]');
    expect(await inferredAndChecked(slice([0, 0, 0], [0, 0, 0], [1, 1, -1], { begin_mask: 0b101, end_mask: 0b101, new_axis_mask: 0b010 }))).to.equal('[N, 1, H, W, 3]');
    expect(await inferredAndChecked(slice([0, 0, 1], [1, 0, 3], [1, 1, 1], { begin_mask: 0b010, end_mask: 0b010, shrink_axis_mask: 0b001 }))).to.equal('[H, max(0, min(W, 3) - min(1, W)), 3]');
  });

  it('broadcasts equal dims and 1s, and resizes to a constant or a computed size', async () => {
    expect(await inferredAndChecked(imageGraph((b, x) => {
      const mean = b.node('mean', { op: 'Mean', inputs: [x, ints(b, [1, 2])], attrs: { keep_dims: attrValue.bool(true) } });
      return b.node('sub', { op: 'Sub', inputs: [x, mean] });
    }))).to.equal('[N, H, W, 3]');
    expect(await inferredAndChecked(imageGraph((b, x) => b.node('add', { op: 'AddV2', inputs: [x, b.constant('row', 'float32', [1, 3], [1, 2, 3])] })))).to.equal('[N, H, W, 3]');
    expect(await inferredAndChecked(imageGraph((b, x) => b.node('resize', { op: 'ResizeBilinear', inputs: [x, ints(b, [7, 9])], attrs: { align_corners: attrValue.bool(false), half_pixel_centers: attrValue.bool(true) } })))).to.equal('[N, 7, 9, 3]');
    expect(await inferredAndChecked(imageGraph((b, x) => {
      const shape = b.node('shape', { op: 'Shape', inputs: [x], attrs: { out_type: attrValue.dtype('int32') } });
      const hw = b.node('hw', { op: 'StridedSlice', inputs: [shape, ints(b, [1]), ints(b, [3]), ints(b, [1])] });
      const float = b.node('f', { op: 'Cast', inputs: [hw], attrs: { SrcT: attrValue.dtype('int32'), DstT: attrValue.dtype('float32') } });
      const half = b.node('half', { op: 'RealDiv', inputs: [float, b.constant('two', 'float32', [], [2])] });
      const up = b.node('up', { op: 'Ceil', inputs: [half] });
      const size = b.node('size', { op: 'Cast', inputs: [up], attrs: { SrcT: attrValue.dtype('float32'), DstT: attrValue.dtype('int32') } });
      return b.node('resize', { op: 'ResizeBilinear', inputs: [x, size], attrs: { align_corners: attrValue.bool(false), half_pixel_centers: attrValue.bool(true) } });
    }))).to.equal('[N, ceil(H/2), ceil(W/2), 3]');
  });

  it('gives Where a dimension decided by data, and leaves everything behind an op without a rule unknown', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [4, 3]);
    const where = b.node('where', { op: 'Where', inputs: [b.node('pos', { op: 'Greater', inputs: [x, b.constant('zero', 'float32', [], [0])] })] });
    const loop = b.node('enter', { op: 'Enter', inputs: [x], attrs: { frame_name: attrValue.string('f') } });
    const after = b.node('relu', { op: 'Relu', inputs: [loop] });
    const ordered = b.node('shape', { op: 'Shape', inputs: [x], controlInputs: ['enter'] });
    const graph = b.outputs(where, after, ordered).build();
    const inference = inferShapes(graph);
    expect(inference.origin(where)).to.equal('data');
    expect(inference.origin('pos:0')).to.equal('static');
    expect(inference.shape(after)).to.equal(null);
    expect(inference.values(ordered)).to.equal(undefined);
    expect(inference.unknownNodes.has('shape')).to.equal(true);
  });

  it('makes pinned inputs concrete and keeps distinct inputs\' dims distinct', () => {
    const b = new GraphBuilder();
    const x = b.input('a', 'float32', [-1, 4]);
    const y = b.input('b', 'float32', [-1, 4]);
    const graph = b.outputs(b.node('sum', { op: 'AddV2', inputs: [x, y] })).build();
    expect(formatShape(inferShapes(graph).shape('sum:0'))).to.equal('[bcast(a.N, b.N), 4]');
    const pinned = inferShapes(graph, { inputShapes: { a: [2, 4], b: [2, 4] } });
    expect(formatShape(pinned.shape('sum:0'))).to.equal('[2, 4]');
    expect(pinned.origin('sum:0')).to.equal('static');
    expect(inferShapes(graph).origin('sum:0')).to.equal('inputs');
  });
});
