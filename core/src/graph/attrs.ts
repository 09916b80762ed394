import { GraphError } from '../errors.js';
import type { ConstantTensor, Node } from './types.js';

/**
 * A node attribute, shaped like TensorFlow's AttrValue with its payload decoded: ints are numbers,
 * strings are text, `type` is an IR dtype name ('float32'; TF-only types keep their DT_ name),
 * shapes are dimension arrays (-1 unknown, null unknown rank).
 */
export type AttrValue =
  | { readonly i: number }
  | { readonly f: number }
  | { readonly b: boolean }
  | { readonly s: string }
  | { readonly type: string }
  | { readonly shape: readonly number[] | null }
  | { readonly tensor: AttrTensor }
  | { readonly func: { readonly name: string; readonly attr?: Readonly<Record<string, AttrValue>> } }
  | { readonly list: AttrList };

export interface AttrList {
  readonly i?: readonly number[];
  readonly f?: readonly number[];
  readonly b?: readonly boolean[];
  readonly s?: readonly string[];
  readonly type?: readonly string[];
  readonly shape?: readonly (readonly number[] | null)[];
}

/** A tensor attribute: for Const nodes only the header, the values live in Graph.constants. */
export interface AttrTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly value?: ConstantTensor;
}

function missing(node: Node, name: string, kind: string): GraphError {
  return new GraphError(`attribute "${name}" (${kind}) is missing or of another kind`, { node: node.name, op: node.op });
}

function get<K extends string>(node: Node, name: string, key: K): unknown {
  const v = node.attrs[name] as Record<string, unknown> | undefined;
  return v !== undefined && key in v ? v[key] : undefined;
}

/** Typed readers for node attributes; each throws a GraphError naming node and op when absent. */
export const attr = {
  has(node: Node, name: string): boolean {
    return node.attrs[name] !== undefined;
  },
  int(node: Node, name: string, fallback?: number): number {
    const v = get(node, name, 'i');
    if (typeof v === 'number') return v;
    if (fallback !== undefined) return fallback;
    throw missing(node, name, 'int');
  },
  float(node: Node, name: string, fallback?: number): number {
    const v = get(node, name, 'f');
    if (typeof v === 'number') return v;
    if (fallback !== undefined) return fallback;
    throw missing(node, name, 'float');
  },
  bool(node: Node, name: string, fallback?: boolean): boolean {
    const v = get(node, name, 'b');
    if (typeof v === 'boolean') return v;
    if (fallback !== undefined) return fallback;
    throw missing(node, name, 'bool');
  },
  string(node: Node, name: string, fallback?: string): string {
    const v = get(node, name, 's');
    if (typeof v === 'string') return v;
    if (fallback !== undefined) return fallback;
    throw missing(node, name, 'string');
  },
  dtype(node: Node, name: string, fallback?: string): string {
    const v = get(node, name, 'type');
    if (typeof v === 'string') return v;
    if (fallback !== undefined) return fallback;
    throw missing(node, name, 'type');
  },
  shape(node: Node, name: string): readonly number[] | null {
    const v = node.attrs[name];
    if (v !== undefined && 'shape' in v) return v.shape;
    throw missing(node, name, 'shape');
  },
  ints(node: Node, name: string, fallback?: readonly number[]): readonly number[] {
    const v = node.attrs[name];
    if (v !== undefined && 'list' in v) return v.list.i ?? [];
    if (fallback !== undefined) return fallback;
    throw missing(node, name, 'list(int)');
  },
  floats(node: Node, name: string, fallback?: readonly number[]): readonly number[] {
    const v = node.attrs[name];
    if (v !== undefined && 'list' in v) return v.list.f ?? [];
    if (fallback !== undefined) return fallback;
    throw missing(node, name, 'list(float)');
  },
  strings(node: Node, name: string, fallback?: readonly string[]): readonly string[] {
    const v = node.attrs[name];
    if (v !== undefined && 'list' in v) return v.list.s ?? [];
    if (fallback !== undefined) return fallback;
    throw missing(node, name, 'list(string)');
  },
};

/** Attribute constructors, so that code building nodes reads like the attributes it sets. */
export const attrValue = {
  int: (i: number): AttrValue => ({ i }),
  float: (f: number): AttrValue => ({ f }),
  bool: (b: boolean): AttrValue => ({ b }),
  string: (s: string): AttrValue => ({ s }),
  dtype: (type: string): AttrValue => ({ type }),
  shape: (shape: readonly number[] | null): AttrValue => ({ shape }),
  ints: (i: readonly number[]): AttrValue => ({ list: { i } }),
  floats: (f: readonly number[]): AttrValue => ({ list: { f } }),
  strings: (s: readonly string[]): AttrValue => ({ list: { s } }),
  dtypes: (type: readonly string[]): AttrValue => ({ list: { type } }),
};
