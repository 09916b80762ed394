import { attrValue, type AttrValue, type ConstantTensor, type DType, type Node, type TensorRef } from '@modelport/core';

/** Plain IR nodes for the graphs the exporter adds (variables, save/restore, assets). */
export const node = (name: string, op: string, inputs: readonly TensorRef[], attrs: Record<string, AttrValue>, extra: { controlInputs?: string[]; device?: string } = {}): Node => ({
  name, op, inputs, attrs,
  ...(extra.controlInputs?.length ? { controlInputs: extra.controlInputs } : {}),
  ...(extra.device ? { device: extra.device } : {}),
});

export interface ConstNode { readonly node: Node; readonly value: ConstantTensor }

export function constNode(name: string, value: ConstantTensor, device?: string): ConstNode {
  return {
    node: node(name, 'Const', [], { dtype: attrValue.dtype(value.dtype), value: { tensor: { dtype: value.dtype, shape: value.shape } } }, device ? { device } : {}),
    value,
  };
}

export const stringTensor = (values: readonly string[], shape: readonly number[] = values.length === 1 ? [] : [values.length]): ConstantTensor =>
  ({ dtype: 'string', shape, values: values.map((s) => new Uint8Array(Buffer.from(s, 'utf8'))) });

export const numberTensor = (dtype: DType, values: readonly number[], shape: readonly number[] = values.length === 1 ? [] : [values.length]): ConstantTensor =>
  ({ dtype, shape, values: dtype === 'int32' ? Int32Array.from(values) : dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values) });
