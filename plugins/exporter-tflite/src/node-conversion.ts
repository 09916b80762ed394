import { INT8_OPS, tensorRef, type Node, type TypedArray } from '@modelport/core';
import { UnsupportedVariant, type TfliteConversion } from './conversion.js';
import type { TensorFacts } from './infer-shapes.js';
import { opFacts, type BuiltinOperatorName } from './op-facts.js';
import { quantizationSpec, sameParams } from './quantization/annotations.js';
import type { QuantizationSpec } from './schema/model-spec.js';
import type { BuiltinOptions } from './schema/options.js';
import type { SubGraphBuilder, TfliteTensor } from './subgraph-builder.js';
import type { ConstantUse, TensorScope } from './tensor-scope.js';
import type { TfliteDType } from './tflite-dtype.js';

/**
 * The TfliteConversion of one node over a TensorScope. For an int8 node (node.quantized) it hands
 * converters int8 forms, makes every tensor they emit int8 with the parameters the annotations and
 * the kernels want, and requantizes where a kernel needs a scale the annotation did not give.
 */
export class NodeConversion implements TfliteConversion {
  readonly subgraph: SubGraphBuilder;
  readonly quantized: boolean;
  private readonly activations: ReadonlySet<number>;

  constructor(readonly node: Node, private readonly scope: TensorScope) {
    this.subgraph = scope.subgraph;
    this.quantized = node.quantized === 'int8';
    this.activations = new Set(this.quantized ? INT8_OPS[node.op]?.activations(node) ?? [] : []);
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
    const ref = this.inputRef(i);
    return this.activations.has(i) ? this.scope.int8(ref) : this.scope.get(ref);
  }

  output(i = 0): TfliteTensor {
    const f = this.out(i);
    const name = i === 0 ? this.node.name : `${this.node.name}:${i}`;
    // A data-dependent shape is what the probe run saw: -1 in shape_signature says so to readers.
    const signature = f.dynamic ? { shapeSignature: f.shape.map(() => -1) } : {};
    if (this.quantized && f.dtype === 'float32') return this.subgraph.tensor(name, 'int8', f.shape, { ...signature, quantization: this.outputParams(i) });
    return this.subgraph.tensor(name, f.dtype, f.shape, signature);
  }

  emit(op: BuiltinOperatorName, inputs: readonly (TfliteTensor | undefined)[], options?: BuiltinOptions, i = 0): TfliteTensor {
    if (!this.quantized) {
      const out = this.output(i);
      this.subgraph.op(op, inputs, [out], options);
      return out;
    }
    const kernel = this.int8Kernel(op);
    const params = this.outputParams(i);
    const ins = kernel.sameScale ? inputs.map((t) => this.withParams(t, params)) : inputs;
    const fixed = kernel.fixedOutput && quantizationSpec({ scale: [kernel.fixedOutput.scale], zeroPoint: [kernel.fixedOutput.zeroPoint] });
    const out = this.output(i);
    if (fixed && !sameParams(fixed, params)) {
      // The kernel writes its own fixed parameters; the annotation's follow by a requantization.
      const raw = this.subgraph.tensor(`${this.node.name}/${op.toLowerCase()}`, 'int8', out.shape, { quantization: fixed });
      this.subgraph.op(op, ins, [raw], options);
      this.subgraph.op('QUANTIZE', [raw], [out]);
      return out;
    }
    this.subgraph.op(op, ins, [out], options);
    return out;
  }

  emitTemp(op: BuiltinOperatorName, inputs: readonly (TfliteTensor | undefined)[], dtype: TfliteDType, shape: readonly number[], options?: BuiltinOptions): TfliteTensor {
    const name = `${this.node.name}/${op.toLowerCase()}`;
    let out: TfliteTensor;
    if (this.quantized && (dtype === 'float32' || dtype === 'int8')) {
      // A temporary inside an int8 conversion: a copying kernel (PAD, RESHAPE …) keeps its input's parameters, others write the output's.
      const kernel = this.int8Kernel(op);
      const params = kernel.sameScale ? inputs[0]?.quantization ?? this.outputParams(0) : this.outputParams(0);
      out = this.subgraph.tensor(name, 'int8', shape, { quantization: params });
    } else {
      out = this.subgraph.tensor(name, dtype, shape);
    }
    this.subgraph.op(op, inputs, [out], options);
    return out;
  }

  constant(suffix: string, dtype: TfliteDType, shape: readonly number[], values: TypedArray, fromInput?: number, use: ConstantUse = {}): TfliteTensor {
    if (fromInput === undefined) return this.scope.constant(`${this.node.name}/${suffix}`, dtype, shape, values);
    const ref = this.inputRef(fromInput);
    const source = ref.replace(/:0$/, '');
    const t = this.scope.constant(`${source}/${suffix}`, dtype, shape, values, `${ref}#${suffix}`, source.split(':')[0], { ...use, stored: use.stored || this.quantized });
    if (this.quantized && dtype === 'float32' && t.dtype === 'float32') this.refuse(`its weight "${source}" carries no int8/int32 quantization`);
    return t;
  }

  refuse(reason: string): never {
    // The translator files an int8 node's refusals apart, under the --quantize mode.
    throw new UnsupportedVariant(reason);
  }

  /** The parameters of int8 output `i`, as the quantizer annotated them. */
  outputParams(i = 0): QuantizationSpec {
    const q = this.node.outputs?.[i]?.quantization;
    if (q?.dtype !== undefined && q.dtype !== 'int8') this.refuse(`output ${i} is annotated ${q.dtype}; int8 nodes write int8`);
    if (!q) this.refuse(`output ${i} has no int8 parameters`);
    return quantizationSpec(q);
  }

  /** `t` with parameters `params`: itself, or an int8 → int8 QUANTIZE of it. */
  withParams(t: TfliteTensor | undefined, params: QuantizationSpec): TfliteTensor | undefined {
    if (!t || t.dtype !== 'int8' || sameParams(t.quantization, params)) return t;
    const out = this.subgraph.tensor(`${t.name}/requantized`, 'int8', t.shape, { quantization: params });
    this.subgraph.op('QUANTIZE', [t], [out]);
    return out;
  }

  private int8Kernel(op: BuiltinOperatorName) {
    const kernel = opFacts(op).int8;
    if (!kernel) this.refuse(`${op} has no int8 kernel`);
    return kernel;
  }

  private inputRef(i: number): string {
    const ref = this.node.inputs[i];
    if (ref === undefined) this.refuse(`input ${i} is missing`);
    return ref;
  }
}
