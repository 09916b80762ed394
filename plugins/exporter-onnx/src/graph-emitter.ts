import { float16ToFloat32Array, float32ToFloat16Array, type TypedArray } from '@modelport/core';
import type { OnnxAttr, OnnxNode, OnnxTensor } from './onnx-model.js';
import { numbersOf, typedArrayOf } from './tensor-math.js';
import type { OutSpec, Value } from './value.js';
import type { StoredWeight } from './quantize/stored-weights.js';

/** Contents up to this many elements are tracked on Values, for folding and attribute reading. */
const KNOWN_LIMIT = 4096;
/** Constants up to this size are shared between nodes that need the same value. */
const DEDUPE_LIMIT = 64;

/** Unique value and node names across a model, subgraphs included (ONNX names are one namespace). */
export class NameScope {
  private readonly used = new Set<string>();

  reserve(name: string): void {
    this.used.add(name);
  }

  unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/**
 * Emits ONNX nodes and initializers for one graph (the main graph, or a Loop/If body whose
 * constants go to the main graph: ONNX subgraphs may read outer values). Every value it creates is
 * returned as a Value with dtype and shape, and recorded in `infos` for the optimisation passes.
 */
export class OnnxGraphEmitter {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: Map<string, OnnxTensor>;
  readonly infos: Map<string, OutSpec>;
  /** Name prefix of what is emitted now: the IR node being converted. */
  prefix = 'graph';
  private readonly shared: Map<string, Value>;
  /** Float values that decode a stored weight (float16 + Cast, integers + DequantizeLinear), by value name. */
  readonly storedWeights: Map<string, StoredWeight>;

  constructor(readonly names: NameScope, readonly opset: number, private readonly parent?: OnnxGraphEmitter) {
    this.initializers = parent ? parent.initializers : new Map();
    this.infos = parent ? parent.infos : new Map();
    this.shared = parent ? parent.shared : new Map();
    this.storedWeights = parent ? parent.storedWeights : new Map();
  }

  /** A nested emitter for a subgraph body: own node list, shared names, constants and infos. */
  child(): OnnxGraphEmitter {
    const c = new OnnxGraphEmitter(this.names, this.opset, this);
    c.prefix = this.prefix;
    return c;
  }

  op(opType: string, inputs: readonly (Value | string | undefined)[], attrs: Record<string, OnnxAttr>, out: OutSpec, outName?: string): Value {
    return this.ops(opType, inputs, attrs, [out], outName === undefined ? undefined : [outName])[0]!;
  }

  ops(opType: string, inputs: readonly (Value | string | undefined)[], attrs: Record<string, OnnxAttr>, outs: readonly OutSpec[], outNames?: readonly string[]): Value[] {
    const name = this.names.unique(`${this.prefix}/${opType}`);
    const outputs = outs.map((_, i) => outNames?.[i] ?? (i === 0 ? name : this.names.unique(`${name}:${i}`)));
    this.nodes.push({
      name, opType,
      inputs: inputs.map((v) => (v === undefined ? '' : typeof v === 'string' ? v : v.name)),
      outputs, attrs,
    });
    return outs.map((o, i) => this.record(outputs[i]!, o));
  }

  /** Declares a value made elsewhere (graph inputs, loop-carried values). */
  record(name: string, spec: OutSpec): Value {
    this.infos.set(name, spec);
    return { name, dtype: spec.dtype, shape: spec.shape, ...(spec.known ? { known: spec.known } : {}), ...(spec.iota ? { iota: true } : {}) };
  }

  /** An initializer. Small ones are shared by content; their contents ride on the Value. */
  constant(dtype: string, dims: readonly number[], data: TypedArray | readonly Uint8Array[] | readonly number[], base?: string): Value {
    const fromNumbers = Array.isArray(data) && (data.length === 0 || typeof data[0] === 'number');
    // float16 is stored as raw half bits; numbers given for it are values.
    const values: TypedArray | readonly Uint8Array[] = fromNumbers
      ? (dtype === 'float16' ? float32ToFloat16Array(data as number[]) : typedArrayOf(dtype, data as number[])) : data as TypedArray | readonly Uint8Array[];
    const numeric = dtype !== 'string' && !Array.isArray(values);
    const size = (values as ArrayLike<unknown>).length;
    const known = !numeric || size > KNOWN_LIMIT ? undefined
      : dtype === 'float16' ? Array.from(float16ToFloat32Array(values as Uint16Array)) : numbersOf(values as TypedArray);
    const key = known && size <= DEDUPE_LIMIT && base === undefined ? `${dtype}|${dims.join(',')}|${known.join(',')}` : undefined;
    if (key) {
      const hit = this.shared.get(key);
      if (hit) return hit;
    }
    const name = this.names.unique(base ?? `${this.prefix}/const`);
    this.initializers.set(name, { name, dtype, dims: [...dims], data: values });
    const v = this.record(name, { dtype, shape: [...dims], ...(known ? { known } : {}) });
    if (key) this.shared.set(key, v);
    return v;
  }

  int64s(values: readonly number[]): Value {
    return this.constant('int64', [values.length], values);
  }

  int64Scalar(value: number): Value {
    return this.constant('int64', [], [value]);
  }

  scalar(dtype: string, value: number): Value {
    return this.constant(dtype, [], [value]);
  }

  /** The initializer behind a value, if it is one. */
  tensorOf(v: Value): OnnxTensor | undefined {
    return this.initializers.get(v.name);
  }
}
