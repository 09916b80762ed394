import type { ConversionContext, OnnxOpTable } from '../converter.js';
import { cast, transpose, unsqueeze } from '../emit-ops.js';
import type { Value } from '../value.js';
import { broadcastOf } from './elementwise.js';

/** SelectV2 broadcasts like ONNX Where. */
function selectV2(ctx: ConversionContext): Value {
  const [c, t, e] = [ctx.input(0), ctx.input(1), ctx.input(2)];
  return ctx.emit.op('Where', [c, t, e], {}, { dtype: t.dtype, shape: broadcastOf(ctx, [c, t, e]) });
}

/** Select (v1): a vector condition picks whole rows; it is given trailing axes to broadcast. */
function select(ctx: ConversionContext): Value {
  const [c, t, e] = [ctx.input(0), ctx.input(1), ctx.input(2)];
  const rank = t.shape?.length;
  const cr = c.shape?.length;
  let cond = c;
  if (cr === 1 && rank !== undefined && rank > 1) cond = unsqueeze(ctx.emit, c, Array.from({ length: rank - 1 }, (_, i) => i + 1));
  return ctx.emit.op('Where', [cond, t, e], {}, { dtype: t.dtype, shape: broadcastOf(ctx, [cond, t, e]) });
}

/** Where with one input: the coordinates of true (non-zero) elements, [n, rank] int64. */
function whereIndices(ctx: ConversionContext): Value {
  const x = ctx.input(0);
  if (ctx.inputs.length === 3) return selectV2(ctx);
  const rank = x.shape?.length ?? -1;
  const nz = ctx.emit.op('NonZero', [x], {}, { dtype: 'int64', shape: [rank, -1] });
  return cast(ctx.emit, transpose(ctx.emit, nz, [1, 0]), 'int32');
}

export const selectOps: OnnxOpTable = {
  Select: select,
  SelectV2: selectV2,
  Where: whereIndices,
};
