import { attr } from '@modelport/core';
import type { ConversionContext, OnnxOpTable } from '../converter.js';
import { cast, constOrCastInt64Vector } from '../emit-ops.js';
import { onnxAttr } from '../onnx-model.js';
import { computeDType } from '../onnx-dtype.js';
import type { Value } from '../value.js';

/** TopKV2 along the last axis: values and indices (int32 by TF's default index_type), always sorted as tfjs returns them. */
function topK(ctx: ConversionContext): Value[] {
  const [x, k] = [ctx.input(0), ctx.input(1)];
  const kk = k.known?.[0] ?? -1;
  const shape = x.shape === null ? null : [...x.shape.slice(0, -1), kk];
  const attrs = { axis: onnxAttr.int(-1), largest: onnxAttr.int(1), sorted: onnxAttr.int(1) };
  const [values, indices] = ctx.emit.ops('TopK', [x, constOrCastInt64Vector(ctx.emit, k)], attrs, [{ dtype: x.dtype, shape }, { dtype: 'int64', shape }]);
  return [values!, cast(ctx.emit, indices!, computeDType(attr.dtype(ctx.node, 'index_type', 'int32')))];
}

export const topkOps: OnnxOpTable = {
  TopKV2: topK,
};
