import type { TypedArray } from '@modelport/core';
import { opFacts, opVersion, type BuiltinOperatorName, type OpVariant } from './op-facts.js';
import { TensorType } from './schema/enums.js';
import type { OperatorSpec, QuantizationSpec, TensorSpec } from './schema/model-spec.js';
import type { BuiltinOptions } from './schema/options.js';
import type { TfliteModelBuilder } from './model-builder.js';
import { tensorTypeOf, valuesAs, type TfliteDType } from './tflite-dtype.js';

/** A tensor of the subgraph being built, with what converters need to know of it. */
export interface TfliteTensor {
  readonly index: number;
  readonly name: string;
  readonly dtype: TfliteDType;
  readonly shape: readonly number[];
  /** Set for constant tensors: their values, so converters can read them. */
  readonly values?: TypedArray;
  /** Set for quantized tensors (int8, int32 biases, uint8 edges): real = scale · (q − zeroPoint). */
  readonly quantization?: QuantizationSpec;
}

/** An operator as built, before encoding: its code by name, so passes can read it. */
export interface BuiltOperator {
  readonly op: BuiltinOperatorName;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  options?: BuiltinOptions;
}

export interface TensorOptions {
  readonly shapeSignature?: readonly number[];
  readonly quantization?: QuantizationSpec;
}

/** Collects the tensors and operators of one subgraph; buffers and op codes go to the model. */
export class SubGraphBuilder {
  readonly tensors: TensorSpec[] = [];
  readonly operators: BuiltOperator[] = [];
  inputs: number[] = [];
  outputs: number[] = [];
  private readonly names = new Set<string>();

  constructor(readonly model: TfliteModelBuilder, readonly name: string) {}

  /** A tensor computed at run time. */
  tensor(name: string, dtype: TfliteDType, shape: readonly number[], opts: TensorOptions = {}): TfliteTensor {
    return this.push(name, dtype, shape, 0, opts);
  }

  /**
   * A constant tensor. `key` names its content (e.g. the weight and its layout) so that the same
   * bytes are stored once across subgraphs.
   */
  constant(name: string, dtype: TfliteDType, shape: readonly number[], values: TypedArray, key?: string, quantization?: QuantizationSpec): TfliteTensor {
    const typed = valuesAs(dtype, values);
    const buffer = this.model.buffer(typed, key);
    return { ...this.push(name, dtype, shape, buffer, quantization ? { quantization } : {}), values: typed };
  }

  op(op: BuiltinOperatorName, inputs: readonly (TfliteTensor | undefined)[], outputs: readonly TfliteTensor[], options?: BuiltinOptions): void {
    const table = opFacts(op).options;
    if (options && options.kind !== table) throw new Error(`${op} takes ${table ?? 'no options'}, not ${options.kind}`);
    this.operators.push({ op, inputs: inputs.map((t) => (t ? t.index : -1)), outputs: outputs.map((t) => t.index), ...(options ? { options } : {}) });
  }

  build(): { name: string; tensors: TensorSpec[]; inputs: number[]; outputs: number[]; operators: OperatorSpec[] } {
    const operators = this.operators.map((o) => ({
      opcodeIndex: this.model.opcodeIndex(o.op, this.versionOf(o)), inputs: o.inputs, outputs: o.outputs, ...(o.options ? { options: o.options } : {}),
    }));
    return { name: this.name, tensors: this.tensors, inputs: this.inputs, outputs: this.outputs, operators };
  }

  private push(name: string, dtype: TfliteDType, shape: readonly number[], buffer: number, opts: TensorOptions): TfliteTensor {
    const unique = this.uniqueName(name);
    this.tensors.push({
      name: unique, type: tensorTypeOf(dtype), shape: [...shape], buffer,
      ...(opts.shapeSignature ? { shapeSignature: [...opts.shapeSignature] } : {}),
      ...(opts.quantization ? { quantization: opts.quantization } : {}),
    });
    return { index: this.tensors.length - 1, name: unique, dtype, shape: [...shape], ...(opts.quantization ? { quantization: opts.quantization } : {}) };
  }

  /** The operator version the tensor types and options of one use of an op need (op-facts.ts). */
  private versionOf(o: BuiltOperator): number {
    const t = (i: number | undefined) => (i === undefined || i < 0 ? undefined : this.tensors[i]);
    const [in0, in1] = [t(o.inputs[0]), t(o.inputs[1])];
    const out = t(o.outputs[0]);
    const perChannel = (x: TensorSpec | undefined) => (x?.quantization?.scale.length ?? 0) > 1;
    let variant: OpVariant = 'float';
    if (o.op === 'DEQUANTIZE') variant = in0?.type === TensorType.FLOAT16 ? 'float16' : in0?.type === TensorType.INT8 ? (perChannel(in0) ? 'int8PerChannel' : 'int8') : 'float';
    else if (in0?.type === TensorType.INT8) variant = 'int8';
    else if (in0?.type === TensorType.FLOAT32 && in1?.type === TensorType.INT8 && out?.type === TensorType.FLOAT32) variant = perChannel(in1) ? 'hybridPerChannel' : 'hybrid';
    const scale = (x: TensorSpec | undefined) => (x?.quantization?.scale.length === 1 ? x.quantization.scale[0] : undefined);
    return opVersion(o.op, { variant, options: (o.options?.values ?? {}) as Record<string, unknown>, rank: in0?.shape.length ?? 0, scales: [scale(in0), scale(in1), scale(out)] });
  }

  // TFLite does not need unique names, but readers (and people) do.
  private uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }
}
