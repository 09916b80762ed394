import { attr } from '@modelport/core';
import type { ConversionContext, OnnxOpTable } from '../converter.js';
import { isChannelsLast, toChannelsFirst, toChannelsLast } from '../layout.js';
import { onnxAttr } from '../onnx-model.js';
import type { Value } from '../value.js';
import { readWindow, windowAttrs, windowOutputSizes } from './window.js';

/**
 * MaxPool and AvgPool in NCHW between transposes. TF's AvgPool leaves padding out of the average,
 * as ONNX's AveragePool does with count_include_pad = 0 (its default).
 */
function pool(onnxOp: 'MaxPool' | 'AveragePool', ksizeFrom: 'attr' | 'input') {
  return (ctx: ConversionContext): Value => {
    const x = ctx.input(0);
    if (x.shape === null || x.shape.length !== 4) throw ctx.fail(`input must be 4-D (NHWC), has shape [${x.shape ?? 'unknown rank'}]`);
    const channelsLast = isChannelsLast(attr.string(ctx.node, 'data_format', 'NHWC'));
    const ksize = ksizeFrom === 'attr' ? attr.ints(ctx.node, 'ksize') : ctx.known(1, 'ksize');
    const kernel = channelsLast ? [ksize[1]!, ksize[2]!] : [ksize[2]!, ksize[3]!];
    if ((channelsLast ? [ksize[0], ksize[3]] : [ksize[0], ksize[1]]).some((k) => k !== 1)) throw ctx.fail(`pooling over batch or channels (ksize [${ksize}]) is not supported`);
    const w = ksizeFrom === 'attr' ? readWindow(ctx, 2, channelsLast) : { ...readWindow(ctx, 2, channelsLast), strides: pickStrides(ctx.known(2, 'strides'), channelsLast) };
    const xs = x.shape;
    const spatial = channelsLast ? [xs[1]!, xs[2]!] : [xs[2]!, xs[3]!];
    const [oh, ow] = windowOutputSizes(w, spatial, kernel);
    const attrs = { ...windowAttrs({ ...w, dilations: [1, 1] }, spatial, kernel), kernel_shape: onnxAttr.ints(kernel) };
    const c = channelsLast ? xs[3]! : xs[1]!;
    const xin = channelsLast ? toChannelsFirst(ctx.emit, x) : x;
    const y = ctx.emit.op(onnxOp, [xin], attrs, { dtype: x.dtype, shape: [xs[0]!, c, oh!, ow!] });
    return channelsLast ? toChannelsLast(ctx.emit, y) : y;
  };
}

function pickStrides(list: readonly number[], channelsLast: boolean): number[] {
  return channelsLast ? [list[1]!, list[2]!] : [list[2]!, list[3]!];
}

export const poolOps: OnnxOpTable = {
  MaxPool: pool('MaxPool', 'attr'),
  MaxPoolV2: pool('MaxPool', 'input'),
  AvgPool: pool('AveragePool', 'attr'),
};
