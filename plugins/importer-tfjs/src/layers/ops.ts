import { attrValue, type AttrValue, type TensorRef } from '@modelport/core';
import { configBool } from './config.js';
import type { LayerCall, SymbolicShape } from './layer-call.js';

// Small builders for the ops several layer families emit, with the attributes TensorFlow writes.

export const FLOAT: Readonly<Record<string, AttrValue>> = Object.freeze({ T: attrValue.dtype('float32') });
const INT_T: Readonly<Record<string, AttrValue>> = Object.freeze({ T: attrValue.dtype('int32') });

export function unary(call: LayerCall, op: string, x: TensorRef, name = op): TensorRef {
  return call.op(name, op, [x], FLOAT);
}

export function binary(call: LayerCall, op: string, a: TensorRef, b: TensorRef, name = op): TensorRef {
  return call.op(name, op, [a, b], FLOAT);
}

export function scalar(call: LayerCall, name: string, value: number): TensorRef {
  return call.constant(name, 'float32', [], [value]);
}

export function int32s(call: LayerCall, name: string, values: readonly number[]): TensorRef {
  return call.constant(name, 'int32', [values.length], values);
}

export function transpose(call: LayerCall, x: TensorRef, perm: readonly number[], name = 'transpose'): TensorRef {
  return call.op(name, 'Transpose', [x, int32s(call, `${name}/perm`, perm)], { ...FLOAT, Tperm: attrValue.dtype('int32') });
}

export function expandDims(call: LayerCall, x: TensorRef, axis: number, name = 'ExpandDims'): TensorRef {
  return call.op(name, 'ExpandDims', [x, call.constant(`${name}/dim`, 'int32', [], [axis])], { ...FLOAT, Tdim: attrValue.dtype('int32') });
}

export function squeeze(call: LayerCall, x: TensorRef, axes: readonly number[], name = 'Squeeze'): TensorRef {
  return call.op(name, 'Squeeze', [x], { ...FLOAT, squeeze_dims: attrValue.ints(axes) });
}

export function concat(call: LayerCall, inputs: readonly TensorRef[], axis: number, name = 'concat', dtype = 'float32'): TensorRef {
  return call.op(name, 'ConcatV2', [...inputs, call.constant(`${name}/axis`, 'int32', [], [axis])], {
    T: attrValue.dtype(dtype), N: attrValue.int(inputs.length), Tidx: attrValue.dtype('int32'),
  });
}

export function reshapeWith(call: LayerCall, x: TensorRef, shape: TensorRef, name = 'Reshape'): TensorRef {
  return call.op(name, 'Reshape', [x, shape], { ...FLOAT, Tshape: attrValue.dtype('int32') });
}

/** Dimensions [begin, end) of x's shape at run time, as an int32 vector. */
export function dynamicDims(call: LayerCall, x: TensorRef, begin: number, end: number, name = 'shape'): TensorRef {
  const shape = call.op(`${name}/Shape`, 'Shape', [x], { ...FLOAT, out_type: attrValue.dtype('int32') });
  const endMask = end === 0 ? 1 : 0; // end 0 means "to the end"
  return call.op(`${name}/strided_slice`, 'StridedSlice', [shape, int32s(call, `${name}/begin`, [begin]), int32s(call, `${name}/end`, [end]), int32s(call, `${name}/strides`, [1])], {
    ...INT_T, Index: attrValue.dtype('int32'), begin_mask: attrValue.int(0), end_mask: attrValue.int(endMask),
    ellipsis_mask: attrValue.int(0), new_axis_mask: attrValue.int(0), shrink_axis_mask: attrValue.int(0),
  });
}

/** The dimensions after the batch when all are known. */
export function knownTail(shape: SymbolicShape): number[] | undefined {
  const tail = shape.slice(1);
  return tail.every((d): d is number => d !== null && d >= 0) ? tail : undefined;
}

/**
 * Reshapes x to [batch, ...tail]: a constant shape with -1 for the batch when `tail` has no -1,
 * else the batch is read at run time (so `tail` may hold one -1).
 */
export function reshapeKeepingBatch(call: LayerCall, x: TensorRef, tail: readonly number[], name = 'Reshape'): TensorRef {
  if (!tail.includes(-1)) return reshapeWith(call, x, int32s(call, `${name}/shape`, [-1, ...tail]), name);
  const lead = dynamicDims(call, x, 0, 1, `${name}/batch`);
  const shape = concat(call, [lead, int32s(call, `${name}/tail`, tail)], 0, `${name}/shape`, 'int32');
  return reshapeWith(call, x, shape, name);
}

/** BiasAdd of the layer's `bias` on the last axis, when the layer has one (use_bias). */
export function biasAdd(call: LayerCall, x: TensorRef): TensorRef {
  if (!configBool(call.config, 'useBias', true) || !call.hasWeight('bias')) return x;
  return call.op('BiasAdd', 'BiasAdd', [x, call.weight('bias')], { ...FLOAT, data_format: attrValue.string('NHWC') });
}
