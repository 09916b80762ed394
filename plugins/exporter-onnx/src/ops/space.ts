import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { reshapeTo, sliceConst, transpose } from '../emit-ops.js';
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
    const [n, h, w, c] = channelsLast ? x.shape : [x.shape[0]!, x.shape[2]!, x.shape[3]!, x.shape[1]!];
    const scale = (d: number, up: boolean) => (d < 0 ? -1 : up ? d * bs : d / bs);
    const down = onnxOp === 'SpaceToDepth';
    if (c! >= 0 && !down && c! % (bs * bs) !== 0) throw ctx.fail(`${c} channels do not divide by block_size² = ${bs * bs}`);
    const out = [n!, down ? scale(c!, true) * bs : scale(c!, false) / bs, scale(h!, !down), scale(w!, !down)];
    const attrs = { blocksize: onnxAttr.int(bs), ...(onnxOp === 'DepthToSpace' ? { mode: onnxAttr.string('DCR') } : {}) };
    const xin = channelsLast ? toChannelsFirst(ctx.emit, x) : x;
    const y = ctx.emit.op(onnxOp, [xin], attrs, { dtype: x.dtype, shape: out });
    return channelsLast ? toChannelsLast(ctx.emit, y) : y;
  };
}

function spatialShape(ctx: ConversionContext, x: Value): [number, number, number, number] {
  if (x.shape === null || x.shape.length !== 4) throw new UnsupportedVariant('only 4-D inputs (two spatial axes)');
  const [n, h, w, c] = x.shape as [number, number, number, number];
  if (h < 0 || w < 0 || c < 0) throw new UnsupportedVariant(`spatial and channel sizes must be known, input is [${x.shape}]`);
  return [n, h, w, c];
}

/** SpaceToBatchND: pad, split each spatial axis into (size / block, block), move the blocks to the batch. */
function spaceToBatch(ctx: ConversionContext): Value {
  const e = ctx.emit;
  const x = ctx.input(0);
  const [bh, bw] = ctx.known(1, 'block_shape') as [number, number];
  const p = ctx.known(2, 'paddings');
  const [n, h, w, c] = spatialShape(ctx, x);
  const hp = h + p[0]! + p[1]!, wp = w + p[2]! + p[3]!;
  if (hp % bh || wp % bw) throw ctx.fail(`padded size ${hp}×${wp} does not divide by the block ${bh}×${bw}`);
  const padded = p.some((v) => v) ? e.op('Pad', [x, e.int64s([0, p[0]!, p[2]!, 0, 0, p[1]!, p[3]!, 0])], { mode: onnxAttr.string('constant') }, { dtype: x.dtype, shape: [n, hp, wp, c] }) : x;
  const split = reshapeTo(e, padded, [-1, hp / bh, bh, wp / bw, bw, c]);
  const moved = transpose(e, split, [2, 4, 0, 1, 3, 5]);
  return reshapeTo(e, moved, [-1, hp / bh, wp / bw, c]);
}

/** BatchToSpaceND: the inverse, then crop. */
function batchToSpace(ctx: ConversionContext): Value {
  const e = ctx.emit;
  const x = ctx.input(0);
  const [bh, bw] = ctx.known(1, 'block_shape') as [number, number];
  const cr = ctx.known(2, 'crops');
  const [, h, w, c] = spatialShape(ctx, x);
  const split = reshapeTo(e, x, [bh, bw, -1, h, w, c]);
  const moved = transpose(e, split, [2, 3, 0, 4, 1, 5]);
  const merged = reshapeTo(e, moved, [-1, h * bh, w * bw, c]);
  if (cr.every((v) => v === 0)) return merged;
  return sliceConst(e, merged, [cr[0]!, cr[2]!], [h * bh - cr[1]!, w * bw - cr[3]!], [1, 2]);
}

export const spaceOps: OnnxOpTable = {
  DepthToSpace: depthSpace('DepthToSpace'),
  SpaceToDepth: depthSpace('SpaceToDepth'),
  SpaceToBatchND: spaceToBatch,
  BatchToSpaceND: batchToSpace,
};
