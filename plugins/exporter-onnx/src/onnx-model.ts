import type { TypedArray } from '@modelport/core';

/**
 * The ONNX model as the exporter builds it in memory before encoding: plain data, easy to rewrite
 * (the transpose sinking and pruning passes work on this, not on protobuf messages).
 */
export type OnnxAttr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tensor'; readonly value: OnnxTensor }
  | { readonly kind: 'graph'; readonly value: OnnxGraph };

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  /** Value names; '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, OnnxAttr>;
}

/** A dense tensor: an initializer or a tensor attribute. dtype is an IR dtype name ('float32', 'int64', …). */
export interface OnnxTensor {
  readonly name: string;
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly data: TypedArray | readonly Uint8Array[];
}

/** A dimension: a size, a symbolic name (dim_param), or unknown (null). */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  readonly name: string;
  readonly dtype: string;
  /** null: rank unknown. */
  readonly shape: readonly OnnxDim[] | null;
}

export interface OnnxGraph {
  readonly name: string;
  nodes: OnnxNode[];
  readonly initializers: Map<string, OnnxTensor>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  readonly graph: OnnxGraph;
  readonly opset: number;
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Attribute constructors, so converters read like the ONNX operator spec. */
export const onnxAttr = {
  int: (value: number): OnnxAttr => ({ kind: 'int', value }),
  ints: (value: readonly number[]): OnnxAttr => ({ kind: 'ints', value }),
  float: (value: number): OnnxAttr => ({ kind: 'float', value }),
  floats: (value: readonly number[]): OnnxAttr => ({ kind: 'floats', value }),
  string: (value: string): OnnxAttr => ({ kind: 'string', value }),
  tensor: (value: OnnxTensor): OnnxAttr => ({ kind: 'tensor', value }),
  graph: (value: OnnxGraph): OnnxAttr => ({ kind: 'graph', value }),
};

/** The attribute's value when it is an int / ints, for passes that rewrite nodes. */
export function intsAttr(node: OnnxNode, name: string): readonly number[] | undefined {
  const a = node.attrs[name];
  return a?.kind === 'ints' ? a.value : undefined;
}

export function intAttr(node: OnnxNode, name: string): number | undefined {
  const a = node.attrs[name];
  return a?.kind === 'int' ? a.value : undefined;
}
