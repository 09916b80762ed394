import { expect } from 'chai';
import { attrValue as a, GraphBuilder, initBackend, seededRandom, type TensorData, type TensorRef } from '@modelport/core';
import { describeFailures, exportAndCompare } from './run-both.js';

/** Boxes [y1, x1, y2, x2] in a grid with overlaps, corners sometimes swapped (TF accepts either). */
function boxes(n: number): TensorData {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = (i % 4) * 0.2, x = Math.floor(i / 4) * 0.15;
    const box = [y, x, y + 0.3, x + 0.25];
    out.push(...(i % 3 === 0 ? [box[2]!, box[3]!, box[0]!, box[1]!] : box));
  }
  return { dtype: 'float32', shape: [n, 4], data: Float32Array.from(out) };
}
const scores = (n: number, seed: number): TensorData => {
  const random = seededRandom(seed);
  return { dtype: 'float32', shape: [n], data: Float32Array.from({ length: n }, () => random()) };
};

/**
 * A graph around a data-dependent op as detection models write it: its outputs padded back to a
 * fixed length with paddings computed from their size (LiteRT.js returns outputs of fixed size only).
 */
class PaddedOutputs {
  readonly b = new GraphBuilder();
  private n = 0;
  const(dtype: 'int32' | 'float32', shape: number[], values: number[]): TensorRef { return this.b.constant(`k${this.n++}`, dtype, shape, values); }
  op(op: string, inputs: TensorRef[], attrs = {}): TensorRef { return this.b.node(`${op.toLowerCase()}${this.n++}`, { op, inputs, attrs }); }
  /** x [k] padded with zeros to [length]. */
  padTo(x: TensorRef, length: number, dtype: 'int32' | 'float32'): TensorRef {
    const missing = this.op('Sub', [this.const('int32', [], [length]), this.op('Size', [x], { out_type: a.dtype('int32') })], { T: a.dtype('int32') });
    const pair = this.op('Pack', [this.const('int32', [], [0]), missing], { N: a.int(2), axis: a.int(0), T: a.dtype('int32') });
    const pads = this.op('ExpandDims', [pair, this.const('int32', [], [0])], { T: a.dtype('int32') });
    return this.op('Pad', [x, pads], { T: a.dtype(dtype) });
  }
}

async function expectMatch(g: PaddedOutputs, outputs: TensorRef[], inputs: Record<string, TensorData>): Promise<readonly string[]> {
  const { comparisons, ops } = await exportAndCompare(g.b.outputs(...outputs).build(), {}, 1e-4, inputs);
  expect(comparisons.every((c) => c.ok), describeFailures(comparisons)).to.equal(true);
  return ops;
}

describe('exporter-tflite: NMS and Where (data-dependent shapes) in LiteRT.js', () => {
  before(() => initBackend());

  it('NonMaxSuppressionV3: NON_MAX_SUPPRESSION_V4 cut to the valid count', async () => {
    const g = new PaddedOutputs();
    const [bx, sc] = [g.b.input('boxes', 'float32', [12, 4]), g.b.input('scores', 'float32', [12])];
    const nms = g.op('NonMaxSuppressionV3', [bx, sc, g.const('int32', [], [6]), g.const('float32', [], [0.3]), g.const('float32', [], [0.2])], { T: a.dtype('float32') });
    const picked = g.op('GatherV2', [sc, nms, g.const('int32', [], [0])], { batch_dims: a.int(0) });
    const ops = await expectMatch(g, [g.padTo(nms, 6, 'int32'), g.padTo(picked, 6, 'float32')], { boxes: boxes(12), scores: scores(12, 4) });
    expect(ops).to.include.members(['NON_MAX_SUPPRESSION_V4', 'SLICE']);
  });

  it('NonMaxSuppressionV4 padded to max_output_size, with its valid count', async () => {
    const g = new PaddedOutputs();
    const [bx, sc] = [g.b.input('boxes', 'float32', [12, 4]), g.b.input('scores', 'float32', [12])];
    const nms = g.op('NonMaxSuppressionV4', [bx, sc, g.const('int32', [], [10]), g.const('float32', [], [0.4]), g.const('float32', [], [0.25])], { T: a.dtype('float32'), pad_to_max_output_size: a.bool(true) });
    await expectMatch(g, [nms, `${nms.split(':')[0]}:1`], { boxes: boxes(12), scores: scores(12, 8) });
  });

  it('NonMaxSuppressionV5: indices and scores, cut to the valid count', async () => {
    const g = new PaddedOutputs();
    const [bx, sc] = [g.b.input('boxes', 'float32', [12, 4]), g.b.input('scores', 'float32', [12])];
    const nms = g.op('NonMaxSuppressionV5', [bx, sc, g.const('int32', [], [10]), g.const('float32', [], [0.4]), g.const('float32', [], [0.25]), g.const('float32', [], [0])], { T: a.dtype('float32'), pad_to_max_output_size: a.bool(false) });
    const ops = await expectMatch(g, [g.padTo(nms, 10, 'int32'), g.padTo(`${nms.split(':')[0]}:1`, 10, 'float32')], { boxes: boxes(12), scores: scores(12, 8) });
    expect(ops).to.include('NON_MAX_SUPPRESSION_V5');
  });

  // TFLite's kernel alone would select a box without area again and again (its IoU with itself is 0).
  it('boxes without area are selected once each, as TF does', async () => {
    const g = new PaddedOutputs();
    const [bx, sc] = [g.b.input('boxes', 'float32', [12, 4]), g.b.input('scores', 'float32', [12])];
    const nms = g.op('NonMaxSuppressionV3', [bx, sc, g.const('int32', [], [10]), g.const('float32', [], [0.5]), g.const('float32', [], [0.1])], { T: a.dtype('float32') });
    const flat = boxes(12);
    const data = Float32Array.from(flat.data as Float32Array);
    for (const i of [1, 4, 5, 9]) data.set(i === 5 ? [0.3, 0.2, 0.3, 0.6] : [0.1 * i, 1, 0.9, 1], 4 * i); // zero width, or zero height
    await expectMatch(g, [g.padTo(nms, 10, 'int32')], { boxes: { ...flat, data }, scores: scores(12, 5) });
  });

  // handtrack's post-processing: NMS scores padded with -1 to a fixed length, then sorted by a TopKV2
  // whose k is the padded length, counted at run time; the -1 ties come out in index order.
  it('TopKV2 with k counted at run time after NMS: TOPK_V2 takes k as a tensor', async () => {
    const g = new PaddedOutputs();
    const [bx, sc] = [g.b.input('boxes', 'float32', [12, 4]), g.b.input('scores', 'float32', [12])];
    const nms = g.op('NonMaxSuppressionV5', [bx, sc, g.const('int32', [], [10]), g.const('float32', [], [0.4]), g.const('float32', [], [0.25]), g.const('float32', [], [0])], { T: a.dtype('float32'), pad_to_max_output_size: a.bool(false) });
    const selected = `${nms.split(':')[0]}:1`;
    const missing = g.op('Sub', [g.const('int32', [], [10]), g.op('Size', [selected], { out_type: a.dtype('int32'), T: a.dtype('float32') })], { T: a.dtype('int32') });
    const fill = g.op('Fill', [g.op('Reshape', [missing, g.const('int32', [1], [1])], { T: a.dtype('int32') }), g.const('float32', [], [-1])], { T: a.dtype('float32'), index_type: a.dtype('int32') });
    const padded = g.op('ConcatV2', [selected, fill, g.const('int32', [], [0])], { N: a.int(2), T: a.dtype('float32'), Tidx: a.dtype('int32') });
    const k = g.op('Size', [padded], { out_type: a.dtype('int32'), T: a.dtype('float32') });
    const topK = g.op('TopKV2', [padded, k], { T: a.dtype('float32'), sorted: a.bool(true) });
    const ops = await expectMatch(g, [g.padTo(topK, 10, 'float32'), g.padTo(`${topK.split(':')[0]}:1`, 10, 'int32')], { boxes: boxes(12), scores: scores(12, 8) });
    expect(ops).to.include('TOPK_V2');
  });

  it('TopKV2 with k counted at run time below the input length, ties in index order', async () => {
    const g = new PaddedOutputs();
    const x = g.b.input('x', 'float32', [12]);
    const w = g.op('Where', [g.op('Greater', [x, g.const('float32', [], [0.3])], { T: a.dtype('float32') })], { T: a.dtype('bool') });
    const k = g.op('StridedSlice', [g.op('Shape', [w], { out_type: a.dtype('int32'), T: a.dtype('int64') }), g.const('int32', [1], [0]), g.const('int32', [1], [1]), g.const('int32', [1], [1])],
      { T: a.dtype('int32'), Index: a.dtype('int32'), shrink_axis_mask: a.int(1), begin_mask: a.int(0), end_mask: a.int(0), ellipsis_mask: a.int(0), new_axis_mask: a.int(0) });
    const topK = g.op('TopKV2', [x, k], { T: a.dtype('float32'), sorted: a.bool(true) });
    const ties = Float32Array.from([0.5, 0.1, 0.9, 0.5, 0.5, 0.2, 0.9, 0.4, 0.1, 0.5, 0.35, 0.9]);
    await expectMatch(g, [g.padTo(topK, 12, 'float32'), g.padTo(`${topK.split(':')[0]}:1`, 12, 'int32')], { x: { dtype: 'float32', shape: [12], data: ties } });
  });

  it('Where: WHERE (int64) cast to int32, coordinates summed', async () => {
    const g = new PaddedOutputs();
    const x = g.b.input('x', 'float32', [3, 4]);
    const w = g.op('Where', [g.op('Greater', [x, g.const('float32', [], [0.5])], { T: a.dtype('float32') })], { T: a.dtype('bool') });
    const sum = g.op('Sum', [w, g.const('int32', [1], [0])], { T: a.dtype('int32'), keep_dims: a.bool(false) });
    const ops = await expectMatch(g, [sum], { x: scores(12, 3) && { dtype: 'float32', shape: [3, 4], data: scores(12, 3).data } });
    expect(ops).to.include('WHERE');
  });
});
