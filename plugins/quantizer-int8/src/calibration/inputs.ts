import {
  defaultSignature, OptionsError, parseTensorRef, sizeOfShape, type DType, type ErrorLocation, type Graph, type TensorData,
} from '@modelport/core';
import type { CalibrationInput } from './types.js';

/** The inputs of the graph's default signature, which every sample must feed. */
export function calibrationInputs(graph: Graph): CalibrationInput[] {
  return Object.entries(defaultSignature(graph).inputs).map(([name, t]) => ({
    name, node: parseTensorRef(t.name).node, dtype: t.dtype as DType, shape: t.shape ? [...t.shape] : null,
  }));
}

/** A value given for `input` under its signature name, its node name, or "node:0" (as --input-shape takes them). */
export function lookupInput<T>(given: Readonly<Record<string, T>>, input: CalibrationInput): T | undefined {
  return given[input.name] ?? given[input.node] ?? given[`${input.node}:0`];
}

function family(dtype: string): 'float' | 'int' | 'bool' | 'other' {
  if (dtype.startsWith('float')) return 'float';
  if (/^u?int\d+$/.test(dtype)) return 'int';
  return dtype === 'bool' ? 'bool' : 'other';
}

function describeShape(shape: readonly number[] | null): string {
  return shape === null ? 'of unknown rank' : `[${shape.map((d) => (d < 0 ? '?' : d)).join(', ')}]`;
}

/**
 * `tensor` checked against `input` and made ready to feed: its dtype of the input's kind (float for
 * a float input, integer for an integer one), its shape the input's where the input's is known. A
 * sample one rank short of an input with a batch axis of 1 or open gets a batch axis of 1.
 */
export function conformSample(tensor: TensorData, input: CalibrationInput, where: ErrorLocation): TensorData {
  const wanted = family(input.dtype);
  const given = family(tensor.dtype);
  const acceptsBoolBytes = wanted === 'bool' && tensor.dtype === 'uint8';
  if (wanted === 'other' || (given !== wanted && !acceptsBoolBytes)) {
    throw new OptionsError(`a sample of dtype ${tensor.dtype} cannot feed input "${input.name}" of dtype ${input.dtype}`, where);
  }
  let shape = [...tensor.shape];
  if (input.shape) {
    const batchable = input.shape.length === shape.length + 1 && (input.shape[0] === 1 || input.shape[0]! < 0);
    if (batchable) shape = [1, ...shape];
    const fits = shape.length === input.shape.length && input.shape.every((d, i) => d < 0 || d === shape[i]);
    if (!fits) {
      throw new OptionsError(`a sample of shape [${tensor.shape.join(', ')}] does not fit input "${input.name}" of shape ${describeShape(input.shape)}`, where);
    }
  }
  if (sizeOfShape(shape) !== tensor.data.length) {
    throw new OptionsError(`input "${input.name}": shape [${tensor.shape.join(', ')}] needs ${sizeOfShape(shape)} values, the sample has ${tensor.data.length}`, where);
  }
  const values = tensor.data as ArrayLike<number>;
  if (wanted === 'float') return { dtype: 'float32', shape, data: values instanceof Float32Array ? values : Float32Array.from(values) };
  if (wanted === 'bool') return { dtype: 'bool', shape, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
  return { dtype: 'int32', shape, data: values instanceof Int32Array ? values : Int32Array.from(values) };
}
