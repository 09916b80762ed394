import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { cast, reshapeTo, sliceConst, squeeze, toInt64, unsqueeze } from '../emit-ops.js';
import { onnxAttr } from '../onnx-model.js';
import type { Value } from '../value.js';

/**
 * TF's single-class NonMaxSuppression on ONNX's batched, multi-class one: boxes [1, n, 4], scores
 * [1, 1, n]; the selected (batch, class, box) triples give the box indices. Both select greedily
 * by descending score and suppress when IoU > threshold (strictly), keep scores > score_threshold,
 * and accept corners in any order, so the indices agree; only boxes with exactly equal scores may
 * come out in another order.
 */
function nms(version: 2 | 3 | 4 | 5) {
  return (ctx: ConversionContext): Value[] => {
    const e = ctx.emit;
    const [boxes, scores, maxOut, iou] = [ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3)];
    const scoreThreshold = version >= 3 ? ctx.input(4) : undefined;
    if (version === 5) {
      const sigma = ctx.input(5);
      if (!sigma.known) throw new UnsupportedVariant('soft_nms_sigma must be known at export time');
      if (sigma.known[0] !== 0) throw new UnsupportedVariant(`soft NMS (soft_nms_sigma = ${sigma.known[0]}); ONNX has hard NMS only`);
    }
    const padToMax = version >= 4 && attr.bool(ctx.node, 'pad_to_max_output_size', false);
    const f = (v: Value) => reshapeTo(e, cast(e, v, 'float32'), [1]);
    const inputs = [
      unsqueeze(e, cast(e, boxes, 'float32'), [0]),
      unsqueeze(e, cast(e, scores, 'float32'), [0, 1]),
      reshapeTo(e, toInt64(e, maxOut), [1]),
      f(iou),
      ...(scoreThreshold ? [f(scoreThreshold)] : []),
    ];
    const selected = e.op('NonMaxSuppression', inputs, {}, { dtype: 'int64', shape: [-1, 3] });
    const picked = squeeze(e, sliceConst(e, selected, [2], [3], [1]), [1]);
    const indices = cast(e, picked, 'int32');
    const count = cast(e, squeeze(e, e.op('Shape', [picked], {}, { dtype: 'int64', shape: [1] }), [0]), 'int32');
    const pad = (v: Value): Value => {
      if (!padToMax) return v;
      // Zeros up to max_output_size, as TF pads.
      const missing = e.op('Sub', [reshapeTo(e, toInt64(e, maxOut), [1]), e.op('Shape', [v], {}, { dtype: 'int64', shape: [1] })], {}, { dtype: 'int64', shape: [1] });
      const pads = e.op('Concat', [e.int64s([0]), missing], { axis: onnxAttr.int(0) }, { dtype: 'int64', shape: [2] });
      return e.op('Pad', [v, pads], {}, { dtype: v.dtype, shape: [maxOut.known?.[0] ?? -1] });
    };
    const out = [pad(indices)];
    if (version === 5) out.push(pad(e.op('Gather', [scores, picked], { axis: onnxAttr.int(0) }, { dtype: scores.dtype, shape: [-1] })));
    if (version >= 4) out.push(count);
    return out;
  };
}

export const nmsOps: OnnxOpTable = {
  NonMaxSuppressionV2: nms(2),
  NonMaxSuppressionV3: nms(3),
  NonMaxSuppressionV4: nms(4),
  NonMaxSuppressionV5: nms(5),
};
