import { asInt8, asUint8, GraphError, tensorRef, type Quantization, type TensorRef } from '@modelport/core';
import { quantizationSpec, sameParams } from './quantization/annotations.js';
import { options } from './schema/options.js';
import type { SubGraphBuilder, TfliteTensor } from './subgraph-builder.js';
import type { TensorScope } from './tensor-scope.js';
import { computeDType, tensorTypeOf, type TfliteDType } from './tflite-dtype.js';
import type { TensorFacts } from './infer-shapes.js';

/** One input of a signature: its key, the Placeholder it feeds and that input's shapes. */
export interface EdgeInput {
  readonly key: string;
  readonly placeholder: string;
  readonly irDType: string;
  /** As declared, -1 for the dynamic batch. */
  readonly declaredShape: readonly number[];
  readonly shape: readonly number[];
  /** Fed as integers of quantization.dtype (int8-full): real = scale · (q − zeroPoint). */
  readonly quantization?: Quantization;
}

export interface EdgeOutput {
  readonly key: string;
  readonly ref: TensorRef;
  readonly irDType: string;
  /** Returned as integers of quantization.dtype (int8-full). */
  readonly quantization?: Quantization;
}

/** A signature tensor as written: which subgraph tensor, in which dtype the runtime sees it. */
export interface EdgeTensor {
  readonly key: string;
  readonly index: number;
  readonly dtype: TfliteDType;
  readonly irDType: string;
  readonly shape: readonly number[];
  /** An output whose size the data decides, fixed in the file to what the probe run saw. */
  readonly sizedAtRunTime?: boolean;
}

/**
 * The dtype a model's input or output has in the file: LiteRT.js only moves float32, int32 and
 * uint8 tensors in and out, so bool travels as uint8 and other ints as int32.
 */
export function edgeDType(irDType: string): TfliteDType {
  if (irDType.startsWith('float')) return 'float32';
  if (irDType === 'uint8' || irDType === 'bool') return 'uint8';
  return 'int32';
}

function cast(subgraph: SubGraphBuilder, from: TfliteTensor, to: TfliteDType, name: string): TfliteTensor {
  const out = subgraph.tensor(name, to, from.shape);
  subgraph.op('CAST', [from], [out], options('CastOptions', { in_data_type: tensorTypeOf(from.dtype), out_data_type: tensorTypeOf(to) }));
  return out;
}

/** Adds the subgraph inputs, with a CAST where the dtype inside differs from the edge's. */
export function addSignatureInputs(scope: TensorScope, inputs: readonly EdgeInput[]): EdgeTensor[] {
  const { subgraph } = scope;
  const byPlaceholder = new Map<string, TfliteTensor>();
  return inputs.map((input) => {
    let external = byPlaceholder.get(input.placeholder);
    if (!external && input.quantization) {
      external = addIntegerInput(scope, input);
      byPlaceholder.set(input.placeholder, external);
    }
    if (!external) {
      // No shape_signature with -1: LiteRT.js then checks every input against the -1 and refuses
      // the pinned size. The declared shape travels in the "modelport" metadata instead.
      external = subgraph.tensor(input.placeholder, edgeDType(input.irDType), input.shape);
      subgraph.inputs.push(external.index);
      byPlaceholder.set(input.placeholder, external);
      const inside = computeDType(input.irDType);
      if (!inside) throw new GraphError(`input "${input.key}" has dtype ${input.irDType}, which TFLite builtins cannot compute`, { node: input.placeholder, op: 'Placeholder' });
      scope.bind(tensorRef(input.placeholder), inside === external.dtype ? external : cast(subgraph, external, inside, `${input.placeholder}/cast`));
    }
    return { key: input.key, index: external.index, dtype: external.dtype, irDType: input.irDType, shape: input.declaredShape };
  });
}

const sizedWhenRun = (f: TensorFacts) => f.dynamic === true || f.sizedAtRunTime === true;

/**
 * Marks the subgraph outputs. LiteRT.js hands out outputs in buffers it owns, which only an op
 * copying at run time fills: a constant, an input or an output already given has no op of its own,
 * and TFLite computes a value it can know when the model loads (a shape read, a slice of one) into
 * a buffer of its own, so these are written by a CAST (its RESHAPE aliases or precomputes instead).
 * One computed after Where or NMS, or by an op given its size at run time, is first RESHAPEd to the shape the probe run saw, as the buffers
 * have the declared size: a size that differs at run time is then a runtime error, not garbage.
 */
export function addSignatureOutputs(scope: TensorScope, outputs: readonly EdgeOutput[]): EdgeTensor[] {
  const { subgraph } = scope;
  // The forms the outputs need first (a DEQUANTIZE of an int8 result is an op of its own, no CAST needed).
  for (const o of outputs) if (o.quantization) scope.int8(o.ref); else scope.get(o.ref);
  const produced = new Set(subgraph.operators.flatMap((o) => o.outputs));
  const knownAtLoad = valuesKnownAtLoad(subgraph);
  const used = new Set<number>();
  return outputs.map((output) => {
    if (output.quantization) return addIntegerOutput(scope, output, produced, used);
    let t = scope.get(output.ref);
    // The computed dtype decides, not the declared one: signatures made from a graph's ends guess float32.
    const edge: TfliteDType = t.dtype === 'bool' || t.dtype === 'uint8' ? 'uint8' : t.dtype === 'int32' ? 'int32' : 'float32';
    const name = `${output.key}`;
    const sizedAtRunTime = sizedWhenRun(scope.factsOf(output.ref)) && t.shape.length > 0;
    if (sizedAtRunTime) {
      const shape = subgraph.constant(`${name}/shape`, 'int32', [t.shape.length], Int32Array.from(t.shape));
      const fixed = subgraph.tensor(`${name}/fixed`, t.dtype, t.shape);
      subgraph.op('RESHAPE', [t, shape], [fixed], options('ReshapeOptions', { new_shape: t.shape }));
      t = fixed;
    }
    if (sizedAtRunTime || t.dtype !== edge || !produced.has(t.index) || used.has(t.index) || knownAtLoad.has(t.index)) t = cast(subgraph, t, edge, name);
    used.add(t.index);
    subgraph.outputs.push(t.index);
    return { key: output.key, index: t.index, dtype: t.dtype, irDType: output.irDType, shape: t.shape, ...(sizedAtRunTime ? { sizedAtRunTime } : {}) };
  });
}

/**
 * Tensors whose values TFLite can compute when the model loads: constants, shapes (known before
 * their op runs, even after Where) and what ops compute from those only.
 */
function valuesKnownAtLoad(subgraph: SubGraphBuilder): Set<number> {
  const known = new Set(subgraph.tensors.flatMap((t, i) => (t.buffer > 0 ? [i] : [])));
  for (const o of subgraph.operators) {
    if (o.op === 'SHAPE' || (o.inputs.length > 0 && o.inputs.every((i) => i < 0 || known.has(i)))) o.outputs.forEach((i) => known.add(i));
  }
  return known;
}

function integerEdgeType(q: Quantization, key: string): 'int8' | 'uint8' {
  if (q.dtype === 'int8' || q.dtype === 'uint8') return q.dtype;
  throw new GraphError(`signature tensor "${key}" is quantized as ${q.dtype ?? 'its own dtype'}; TFLite edges take int8 or uint8`);
}

/**
 * An integer input (int8-full): the model takes uint8 or int8 as the signature says, and the nodes
 * read its int8 form, with the Placeholder's own int8 parameters (uint8 → int8 by QUANTIZE).
 */
function addIntegerInput(scope: TensorScope, input: EdgeInput): TfliteTensor {
  const { subgraph } = scope;
  const q = input.quantization!;
  const type = integerEdgeType(q, input.key);
  const external = subgraph.tensor(input.placeholder, type, input.shape, { quantization: quantizationSpec(q) });
  subgraph.inputs.push(external.index);
  const inside = quantizationSpec(scope.annotations.tensor(tensorRef(input.placeholder)) ?? asInt8(q));
  let int8 = external;
  if (type !== 'int8' || !sameParams(external.quantization, inside)) {
    int8 = subgraph.tensor(`${input.placeholder}/int8`, 'int8', input.shape, { quantization: inside });
    subgraph.op('QUANTIZE', [external], [int8]);
  }
  scope.bind(tensorRef(input.placeholder), int8);
  return external;
}

/** An integer output (int8-full): the int8 form of the tensor, as uint8 (zero point + 128) or int8 with the signature's parameters. */
function addIntegerOutput(scope: TensorScope, output: EdgeOutput, produced: ReadonlySet<number>, used: Set<number>): EdgeTensor {
  const { subgraph } = scope;
  const q = output.quantization!;
  const type = integerEdgeType(q, output.key);
  const int8 = scope.int8(output.ref);
  const params = quantizationSpec(type === 'uint8' ? asUint8(q) : q);
  let t = int8;
  if (type === 'uint8' || !sameParams(int8.quantization, params) || !produced.has(int8.index) || used.has(int8.index)) {
    t = subgraph.tensor(output.key, type, int8.shape, { quantization: params });
    subgraph.op('QUANTIZE', [int8], [t]);
  }
  used.add(t.index);
  subgraph.outputs.push(t.index);
  return { key: output.key, index: t.index, dtype: type, irDType: output.irDType, shape: t.shape };
}
