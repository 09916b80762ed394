import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { concat, reshapeTo, shapeOf, sliceConst, toInt64, transpose } from '../emit-ops.js';
import { isChannelsLast, toChannelsFirst, toChannelsLast } from '../layout.js';
import { onnxAttr } from '../onnx-model.js';
import type { Value } from '../value.js';

/**
 * DepthToSpace / SpaceToDepth. TF's NHWC depth order (row of the block, column, channel) is
 * ONNX's DCR mode; ONNX's SpaceToDepth has that order only.
 */
function depthSpace(onnxOp: 'DepthToSpace' | 'SpaceToDepth') {
  return (ctx: ConversionContext): Value => {
    const x = ctx.input(0);
    const bs = attr.int(ctx.node, 'block_size');
    if (x.shape === null || x.shape.length !== 4) throw ctx.fail(`input must be 4-D, has shape [${x.shape ?? 'unknown rank'}]`);
    const channelsLast = isChannelsLast(attr.string(ctx.node, 'data_format', 'NHWC'));
    const [n, h, w, c] = (channelsLast ? x.shape : [x.shape[0]!, x.shape[2]!, x.shape[3]!, x.shape[1]!]) as [number, number, number, number];
    const down = onnxOp === 'SpaceToDepth';
    if (c >= 0 && !down && c % (bs * bs) !== 0) throw ctx.fail(`${c} channels do not divide by block_size² = ${bs * bs}`);
    // Sizes move between depth (× or ÷ block²) and space (÷ or × block); unknown stays unknown.
    const times = (d: number, k: number) => (d < 0 ? -1 : d * k);
    const over = (d: number, k: number) => (d < 0 ? -1 : d / k);
    const out = down ? [n, times(c, bs * bs), over(h, bs), over(w, bs)] : [n, over(c, bs * bs), times(h, bs), times(w, bs)];
    const attrs = { blocksize: onnxAttr.int(bs), ...(onnxOp === 'DepthToSpace' ? { mode: onnxAttr.string('DCR') } : {}) };
    const xin = channelsLast ? toChannelsFirst(ctx.emit, x) : x;
    const y = ctx.emit.op(onnxOp, [xin], attrs, { dtype: x.dtype, shape: out });
    return channelsLast ? toChannelsLast(ctx.emit, y) : y;
  };
}

/** Element `i` of an int64 shape vector, as a 1-element vector. */
function dim(ctx: ConversionContext, shape: Value, i: number): Value {
  return sliceConst(ctx.emit, shape, [i], [i + 1], [0]);
}

function int64Op(ctx: ConversionContext, op: 'Mul' | 'Div' | 'Sub', a: Value, b: Value): Value {
  return ctx.emit.op(op, [a, b], {}, { dtype: 'int64', shape: [1] });
}

function checkRank4(ctx: ConversionContext, x: Value): void {
  if (x.shape !== null && x.shape.length !== 4) throw new UnsupportedVariant(`only 4-D inputs (two spatial axes), input is [${x.shape}]`);
}

/**
 * SpaceToBatchND: pad, split each spatial axis into (size / block, block), move the blocks to the
 * batch. Paddings may be computed at run time (atrous convolution on inputs of unknown size):
 * the shapes are then computed at run time too.
 */
function spaceToBatch(ctx: ConversionContext): Value {
  const e = ctx.emit;
  const x = ctx.input(0);
  checkRank4(ctx, x);
  const [bh, bw] = ctx.known(1, 'block_shape') as [number, number];
  const paddings = ctx.input(2);
  let pads: Value;
  if (paddings.known) {
    const p = paddings.known;
    pads = e.int64s([0, p[0]!, p[2]!, 0, 0, p[1]!, p[3]!, 0]);
  } else {
    // [0, p00, p01, p10, p11] gathered into ONNX order [0, top, left, 0, 0, bottom, right, 0].
    const flat = concat(e, [e.int64s([0]), reshapeTo(e, toInt64(e, paddings), [4])], 0);
    pads = e.op('Gather', [flat, e.int64s([0, 1, 3, 0, 0, 2, 4, 0])], { axis: onnxAttr.int(0) }, { dtype: 'int64', shape: [8] });
  }
  const padded = e.op('Pad', [x, pads], { mode: onnxAttr.string('constant') }, { dtype: x.dtype, shape: [-1, -1, -1, x.shape?.[3] ?? -1] });
  const s = shapeOf(e, padded);
  const [n, hp, wp, c] = [0, 1, 2, 3].map((i) => dim(ctx, s, i)) as [Value, Value, Value, Value];
  const b = (k: number) => e.int64s([k]);
  const split = e.op('Reshape', [padded, concat(e, [n, int64Op(ctx, 'Div', hp, b(bh)), b(bh), int64Op(ctx, 'Div', wp, b(bw)), b(bw), c], 0)], {}, { dtype: x.dtype, shape: [-1, -1, bh, -1, bw, -1] });
  const moved = transpose(e, split, [2, 4, 0, 1, 3, 5]);
  const outShape = concat(e, [int64Op(ctx, 'Mul', n, b(bh * bw)), int64Op(ctx, 'Div', hp, b(bh)), int64Op(ctx, 'Div', wp, b(bw)), c], 0);
  return e.op('Reshape', [moved, outShape], {}, { dtype: x.dtype, shape: [-1, -1, -1, x.shape?.[3] ?? -1] });
}

/** BatchToSpaceND: the inverse, then crop (crops may be computed at run time). */
function batchToSpace(ctx: ConversionContext): Value {
  const e = ctx.emit;
  const x = ctx.input(0);
  checkRank4(ctx, x);
  const [bh, bw] = ctx.known(1, 'block_shape') as [number, number];
  const crops = ctx.input(2);
  const s = shapeOf(e, x);
  const [n, h, w, c] = [0, 1, 2, 3].map((i) => dim(ctx, s, i)) as [Value, Value, Value, Value];
  const b = (k: number) => e.int64s([k]);
  const split = e.op('Reshape', [x, concat(e, [b(bh), b(bw), int64Op(ctx, 'Div', n, b(bh * bw)), h, w, c], 0)], {}, { dtype: x.dtype, shape: [bh, bw, -1, -1, -1, -1] });
  const moved = transpose(e, split, [2, 3, 0, 4, 1, 5]);
  const fullH = int64Op(ctx, 'Mul', h, b(bh)), fullW = int64Op(ctx, 'Mul', w, b(bw));
  const merged = e.op('Reshape', [moved, concat(e, [int64Op(ctx, 'Div', n, b(bh * bw)), fullH, fullW, c], 0)], {}, { dtype: x.dtype, shape: [-1, -1, -1, x.shape?.[3] ?? -1] });
  if (crops.known?.every((v) => v === 0)) return merged;
  const cr = reshapeTo(e, toInt64(e, crops), [4]);
  const at = (i: number) => sliceConst(e, cr, [i], [i + 1], [0]);
  const starts = concat(e, [at(0), at(2)], 0);
  const ends = concat(e, [int64Op(ctx, 'Sub', fullH, at(1)), int64Op(ctx, 'Sub', fullW, at(3))], 0);
  return e.op('Slice', [merged, starts, ends, e.int64s([1, 2])], {}, { dtype: x.dtype, shape: merged.shape });
}

export const spaceOps: OnnxOpTable = {
  DepthToSpace: depthSpace('DepthToSpace'),
  SpaceToDepth: depthSpace('SpaceToDepth'),
  SpaceToBatchND: spaceToBatch,
  BatchToSpaceND: batchToSpace,
};
