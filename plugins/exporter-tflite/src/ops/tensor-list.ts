import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';

/**
 * TensorArrays (TF1) and TensorLists (TF2) as dense tensors: an array's flow (or the list itself)
 * is the stacked tensor of its elements. Scattering a whole tensor makes the array that tensor,
 * reading is a GATHER, stacking is the tensor, writing one element is a DYNAMIC_UPDATE_SLICE.
 * An empty array or list has no tensor of its own: a while loop writing it one element per
 * iteration starts from a buffer of zeros (control-flow/loop-buffer.ts). Handles carry no data.
 */
function dense(c: TfliteConversion, i: number): TfliteTensor {
  if (!c.has(i)) c.refuse('reads a TensorArray/TensorList that is neither a scattered tensor nor written one element per iteration by a while loop');
  return c.input(i);
}

const scatter: TfliteOpConverter = (c) => {
  const value = c.input(2);
  const indices = c.value(1);
  // Only "unstack the whole tensor": indices 0 … n−1 (map_fn's TensorArrayUnstack).
  if (!indices || indices.length !== value.shape[0] || !Array.from(indices as ArrayLike<number>).every((v, i) => Number(v) === i)) c.refuse('scatters at indices other than 0 … n−1');
  return value;
};

const gatherRows = (list: number, index: number): TfliteOpConverter => (c) =>
  c.emit('GATHER', [dense(c, list), c.input(index)], options('GatherOptions', { axis: 0 }));

/** Element `index` of the list set to `value`: DYNAMIC_UPDATE_SLICE at [index, 0, …]. */
const write = (list: number, index: number, value: number): TfliteOpConverter => (c) => {
  const buffer = dense(c, list);
  const element = c.input(value);
  const rank = buffer.shape.length;
  const row = c.emitTemp('RESHAPE', [element, c.constant('row_shape', 'int32', [rank], Int32Array.from([1, ...element.shape]))], element.dtype, [1, ...element.shape],
    options('ReshapeOptions', { new_shape: [1, ...element.shape] }));
  const at = c.emitTemp('RESHAPE', [c.input(index), c.constant('one', 'int32', [1], Int32Array.of(1))], 'int32', [1], options('ReshapeOptions', { new_shape: [1] }));
  const start = c.emitTemp('PAD', [at, c.constant('pads', 'int32', [1, 2], Int32Array.of(0, rank - 1))], 'int32', [rank]);
  const out = c.subgraph.tensor(c.node.name, buffer.dtype, buffer.shape);
  c.subgraph.op('DYNAMIC_UPDATE_SLICE', [buffer, row, start], [out], options('DynamicUpdateSliceOptions'));
  return out;
};

/** Number of elements: axis 0 of the shape (known at export time, and folded, in most models). */
const size = (list: number): TfliteOpConverter => (c) => {
  const shape = c.emitTemp('SHAPE', [dense(c, list)], 'int32', [c.input(list).shape.length], options('ShapeOptions', { out_type: 2 }));
  return c.emit('GATHER', [shape, c.constant('axis0', 'int32', [], Int32Array.of(0))], options('GatherOptions', { axis: 0 }));
};

const declaration: TfliteOpConverter = () => [];

export const tensorListOps: TfliteOpTable = {
  TensorArrayV3: declaration,
  TensorArrayScatterV3: scatter,
  TensorArrayReadV3: gatherRows(2, 1),
  TensorArrayGatherV3: gatherRows(2, 1),
  TensorArrayWriteV3: write(3, 1, 2),
  TensorArraySizeV3: size(1),
  TensorListReserve: declaration,
  TensorListFromTensor: (c) => c.input(0),
  TensorListGetItem: gatherRows(0, 1),
  TensorListSetItem: write(0, 1, 2),
  TensorListStack: (c) => dense(c, 0),
  TensorListLength: size(0),
};
