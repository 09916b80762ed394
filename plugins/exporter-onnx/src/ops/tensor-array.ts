import { UnsupportedVariant, type ConversionContext, type OnnxOpTable } from '../converter.js';
import { cast, shapeOf, sliceConst, squeeze } from '../emit-ops.js';
import { onnxAttr } from '../onnx-model.js';
import type { Value } from '../value.js';

/**
 * TensorArrays (TF1) and TensorLists (TF2) as dense tensors: an array's "flow" (or the list
 * itself) is the stacked tensor of its elements. Scattering a whole tensor makes the array that
 * tensor, reading is Gather, stacking is the tensor. Writing one element per iteration of a while
 * loop becomes a scan output of the ONNX Loop (convert-loop.ts); other writes are refused.
 * Handles carry no data: they get a value of dtype HANDLE, which no real op may consume.
 */
export const HANDLE_DTYPE = 'tensor-array-handle';

export function handleValue(ctx: ConversionContext): Value {
  return ctx.emit.record(`${ctx.node.name}/handle`, { dtype: HANDLE_DTYPE, shape: [] });
}

export function isHandle(v: Value): boolean {
  return v.dtype === HANDLE_DTYPE;
}

function dense(ctx: ConversionContext, i: number): Value {
  const v = ctx.input(i);
  if (isHandle(v)) throw new UnsupportedVariant('reads a TensorArray/TensorList that is not filled by scattering a tensor or by a while loop writing one element per iteration');
  return v;
}

function gatherRows(ctx: ConversionContext, flow: Value, index: Value): Value {
  const shape = flow.shape === null || index.shape === null ? null : [...index.shape, ...flow.shape.slice(1)];
  return ctx.emit.op('Gather', [flow, index], { axis: onnxAttr.int(0) }, { dtype: flow.dtype, shape });
}

function scatter(ctx: ConversionContext): Value {
  const [indices, value] = [ctx.input(1), ctx.input(2)];
  const n = value.shape?.[0] ?? -1;
  // Only "unstack the whole tensor": indices 0 … n−1 (map_fn's TensorArrayUnstack).
  const isRange = indices.iota || (indices.known && indices.known.every((v, i) => v === i) && (n < 0 || indices.known.length === n));
  if (!isRange) throw new UnsupportedVariant('scatters at indices other than 0 … n−1');
  return value;
}

function size(ctx: ConversionContext, flowIndex: number): Value {
  const flow = dense(ctx, flowIndex);
  const n = sliceConst(ctx.emit, shapeOf(ctx.emit, flow), [0], [1], [0]);
  return cast(ctx.emit, squeeze(ctx.emit, n, [0]), 'int32');
}

const outsideLoop = (ctx: ConversionContext): never => {
  throw new UnsupportedVariant(`${ctx.node.op} outside a while loop that writes one element per iteration`);
};

export const tensorArrayOps: OnnxOpTable = {
  TensorArrayV3: (ctx) => [handleValue(ctx), handleValue(ctx)],
  TensorArrayScatterV3: scatter,
  TensorArrayReadV3: (ctx) => gatherRows(ctx, dense(ctx, 2), ctx.input(1)),
  TensorArrayGatherV3: (ctx) => gatherRows(ctx, dense(ctx, 2), ctx.input(1)),
  TensorArraySizeV3: (ctx) => size(ctx, 1),
  TensorArrayWriteV3: outsideLoop,
  TensorListReserve: (ctx) => handleValue(ctx),
  TensorListFromTensor: (ctx) => ctx.input(0),
  TensorListGetItem: (ctx) => gatherRows(ctx, dense(ctx, 0), ctx.input(1)),
  TensorListStack: (ctx) => dense(ctx, 0),
  TensorListLength: (ctx) => size(ctx, 0),
  TensorListSetItem: outsideLoop,
};
