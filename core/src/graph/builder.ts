import { allocValues, sizeOfShape, type DType, type TensorValues } from './dtype.js';
import { attrValue, type AttrValue } from './attrs.js';
import { normalizeTensorRef, tensorRef } from './refs.js';
import type { ConstantTensor, Graph, Node, Signature, TensorInfo, TensorRef } from './types.js';

export interface NodeSpec {
  readonly op: string;
  readonly inputs?: readonly TensorRef[];
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly controlInputs?: readonly string[];
  readonly device?: string;
  /** Output types when the producer knows them (e.g. Keras static shapes). */
  readonly outputs?: readonly TensorInfo[];
}

/**
 * Builds a Graph node by node, in topological order. Used by importers and tests; passes usually
 * copy an existing graph with `withGraph` instead.
 */
export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, ConstantTensor>();
  private readonly inputNames: string[] = [];
  private outputRefs: TensorRef[] = [];
  private readonly signatures: Record<string, Signature> = {};
  private metadata: Record<string, unknown> = {};

  /** A name not used yet, derived from `base` ("conv", "conv_1", …). */
  uniqueName(base: string): string {
    if (!this.names.has(base)) return base;
    for (let i = 1; ; i++) if (!this.names.has(`${base}_${i}`)) return `${base}_${i}`;
  }

  input(name: string, dtype: DType, shape: readonly number[] | null): TensorRef {
    this.push({ name, op: 'Placeholder', inputs: [], attrs: { dtype: attrValue.dtype(dtype), shape: attrValue.shape(shape) } });
    this.inputNames.push(name);
    return tensorRef(name);
  }

  constant(name: string, dtype: DType, shape: readonly number[], values?: TensorValues | readonly number[]): TensorRef {
    const size = sizeOfShape(shape);
    const data = values === undefined ? allocValues(dtype, size)
      : isNumberList(values) ? fromNumbers(dtype, values) : values;
    this.constants.set(name, { dtype, shape: [...shape], values: data });
    this.push({ name, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype(dtype), value: { tensor: { dtype, shape: [...shape] } } } });
    return tensorRef(name);
  }

  /** Adds an op; returns the reference to its first output (use `tensorRef(name, i)` for others). */
  node(name: string, spec: NodeSpec): TensorRef {
    this.push({
      name, op: spec.op, inputs: (spec.inputs ?? []).map(normalizeTensorRef), attrs: spec.attrs ?? {},
      ...(spec.controlInputs?.length ? { controlInputs: spec.controlInputs } : {}),
      ...(spec.device ? { device: spec.device } : {}),
      ...(spec.outputs ? { outputs: spec.outputs } : {}),
    });
    return tensorRef(name);
  }

  outputs(...refs: TensorRef[]): this {
    this.outputRefs = refs.map(normalizeTensorRef);
    return this;
  }

  signature(key: string, signature: Signature): this {
    this.signatures[key] = signature;
    return this;
  }

  meta(metadata: Record<string, unknown>): this {
    this.metadata = { ...this.metadata, ...metadata };
    return this;
  }

  build(): Graph {
    return {
      inputs: [...this.inputNames], outputs: [...this.outputRefs], nodes: [...this.nodes],
      constants: new Map(this.constants), signatures: { ...this.signatures }, metadata: { ...this.metadata },
    };
  }

  private push(node: Node): void {
    if (this.names.has(node.name)) throw new Error(`GraphBuilder: node "${node.name}" is defined twice`);
    this.names.add(node.name);
    this.nodes.push(node);
  }
}

function fromNumbers(dtype: DType, values: readonly number[]): TensorValues {
  const out = allocValues(dtype, values.length);
  if (out instanceof BigInt64Array) values.forEach((v, i) => { out[i] = BigInt(v); });
  else out.set(values);
  return out;
}

/** A copy of `graph` with some fields replaced: the way passes return their result. */
export function withGraph(graph: Graph, changes: Partial<Graph>): Graph {
  return { ...graph, ...changes };
}

function isNumberList(values: TensorValues | readonly number[]): values is readonly number[] {
  return Array.isArray(values) && (values.length === 0 || typeof values[0] === 'number');
}
