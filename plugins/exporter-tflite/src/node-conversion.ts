import { tensorRef, type Node, type TypedArray } from '@modelport/core';
import { UnsupportedVariant, type TfliteConversion } from './conversion.js';
import type { TensorFacts } from './infer-shapes.js';
import type { BuiltinOperatorName } from './schema/enums.js';
import type { BuiltinOptions } from './schema/options.js';
import type { SubGraphBuilder, TfliteTensor } from './subgraph-builder.js';
import type { TensorScope } from './tensor-scope.js';
import type { TfliteDType } from './tflite-dtype.js';

/** The TfliteConversion of one node over a TensorScope. */
export class NodeConversion implements TfliteConversion {
  readonly subgraph: SubGraphBuilder;

  constructor(readonly node: Node, private readonly scope: TensorScope) {
    this.subgraph = scope.subgraph;
  }

  facts(i: number): TensorFacts {
    return this.scope.factsOf(this.inputRef(i));
  }

  out(i = 0): TensorFacts {
    return this.scope.factsOf(tensorRef(this.node.name, i));
  }

  has(i: number): boolean {
    return this.scope.has(this.inputRef(i));
  }

  value(i: number): TypedArray | undefined {
    return this.scope.factsOf(this.inputRef(i)).value;
  }

  ints(i: number, what: string): number[] {
    const v = this.value(i);
    if (v === undefined) this.refuse(`${what} (input ${i}) is computed at run time; TFLite needs it constant here`);
    return Array.from(v as ArrayLike<number>, Number);
  }

  intArgument(i: number, what: string): TfliteTensor {
    const v = this.value(i);
    if (v !== undefined) return this.constant(what, 'int32', this.facts(i).shape, Int32Array.from(v as ArrayLike<number>, Number));
    // An output shape neither proven nor sized at run time is the probe's: it holds only for this value.
    if (!this.out().dynamic && !this.out().proven) this.ints(i, what);
    const t = this.input(i);
    if (t.dtype !== 'int32') this.refuse(`${what} (input ${i}) is ${t.dtype} computed at run time; TFLite takes int32`);
    return t;
  }

  input(i: number): TfliteTensor {
    return this.scope.get(this.inputRef(i));
  }

  output(i = 0): TfliteTensor {
    const f = this.out(i);
    // A data-dependent shape is what the probe run saw: -1 in shape_signature says so to readers.
    return this.subgraph.tensor(i === 0 ? this.node.name : `${this.node.name}:${i}`, f.dtype, f.shape, f.dynamic ? { shapeSignature: f.shape.map(() => -1) } : {});
  }

  emit(op: BuiltinOperatorName, inputs: readonly (TfliteTensor | undefined)[], options?: BuiltinOptions, i = 0): TfliteTensor {
    const out = this.output(i);
    this.subgraph.op(op, inputs, [out], options);
    return out;
  }

  emitTemp(op: BuiltinOperatorName, inputs: readonly (TfliteTensor | undefined)[], dtype: TfliteDType, shape: readonly number[], options?: BuiltinOptions): TfliteTensor {
    const out = this.subgraph.tensor(`${this.node.name}/${op.toLowerCase()}`, dtype, shape);
    this.subgraph.op(op, inputs, [out], options);
    return out;
  }

  constant(suffix: string, dtype: TfliteDType, shape: readonly number[], values: TypedArray, fromInput?: number): TfliteTensor {
    if (fromInput === undefined) return this.scope.constant(`${this.node.name}/${suffix}`, dtype, shape, values);
    const ref = this.inputRef(fromInput);
    const source = ref.replace(/:0$/, '');
    return this.scope.constant(`${source}/${suffix}`, dtype, shape, values, `${ref}#${suffix}`, source.split(':')[0]);
  }

  refuse(reason: string): never {
    throw new UnsupportedVariant(reason);
  }

  private inputRef(i: number): string {
    const ref = this.node.inputs[i];
    if (ref === undefined) this.refuse(`input ${i} is missing`);
    return ref;
  }
}
