import type { ModuleOps, TensorRef } from '@modelport/core';

// TensorFlow ops with the attrs tfjs graph models carry, as the three exporters read them.
const T = (type: string) => ({ T: { type } });

export function cast(ops: ModuleOps, name: string, x: TensorRef, from: string, to: string): TensorRef {
  return ops.node(name, { op: 'Cast', inputs: [x], attrs: { SrcT: { type: from }, DstT: { type: to }, Truncate: { b: false } } });
}

export function binary(ops: ModuleOps, op: 'Mul' | 'Sub' | 'RealDiv', name: string, a: TensorRef, b: TensorRef, type = 'float32'): TensorRef {
  return ops.node(name, { op, inputs: [a, b], attrs: T(type) });
}

export function floats(ops: ModuleOps, name: string, values: readonly number[], shape: readonly number[] = [values.length]): TensorRef {
  return ops.constant(name, 'float32', shape, values);
}

export function ints(ops: ModuleOps, name: string, values: readonly number[], shape: readonly number[] = [values.length]): TensorRef {
  return ops.constant(name, 'int32', shape, values);
}

export function reduce(ops: ModuleOps, op: 'Sum' | 'Min', name: string, x: TensorRef, axis: number, keepDims: boolean): TensorRef {
  const a = ints(ops, `${name}_axis`, [axis], []);
  return ops.node(name, { op, inputs: [x, a], attrs: { ...T('float32'), Tidx: { type: 'int32' }, keep_dims: { b: keepDims } } });
}

export function concat(ops: ModuleOps, name: string, parts: readonly TensorRef[], axis: number, type: string): TensorRef {
  const a = ints(ops, `${name}_axis`, [axis], []);
  return ops.node(name, { op: 'ConcatV2', inputs: [...parts, a], attrs: { N: { i: parts.length }, ...T(type), Tidx: { type: 'int32' } } });
}

export function reshape(ops: ModuleOps, name: string, x: TensorRef, shape: readonly number[], type: string): TensorRef {
  const s = ints(ops, `${name}_shape`, shape);
  return ops.node(name, { op: 'Reshape', inputs: [x, s], attrs: { ...T(type), Tshape: { type: 'int32' } } });
}

/** x.shape[begin:end] as int32. */
export function shapeSlice(ops: ModuleOps, name: string, x: TensorRef, begin: number, end: number, type: string): TensorRef {
  const shape = ops.node(`${name}_shape`, { op: 'Shape', inputs: [x], attrs: { ...T(type), out_type: { type: 'int32' } } });
  const [b, e, s] = [ints(ops, `${name}_begin`, [begin]), ints(ops, `${name}_end`, [end]), ints(ops, `${name}_strides`, [1])];
  const mask = { i: 0 };
  return ops.node(name, {
    op: 'StridedSlice', inputs: [shape, b, e, s],
    attrs: { ...T('int32'), Index: { type: 'int32' }, begin_mask: mask, end_mask: mask, ellipsis_mask: mask, new_axis_mask: mask, shrink_axis_mask: mask },
  });
}

export function tile(ops: ModuleOps, name: string, x: TensorRef, multiples: TensorRef): TensorRef {
  return ops.node(name, { op: 'Tile', inputs: [x, multiples], attrs: { ...T('float32'), Tmultiples: { type: 'int32' } } });
}
