import { expect } from 'chai';
import { quantizeValues, type Graph, type TypedArray } from '@modelport/core';
import type { OnnxGraph, OnnxNode } from '../../src/onnx-model.js';
import { transposeData } from '../../src/tensor-math.js';

/** The DequantizeLinear nodes reading an initializer stored for the IR Const `name` (its own name, or a permuted copy). */
export function dequantizersOf(graph: OnnxGraph, name: string): OnnxNode[] {
  return graph.nodes.filter((n) => n.opType === 'DequantizeLinear' && graph.initializers.has(n.inputs[0]!) && (n.inputs[0] === name || n.inputs[0]!.startsWith(`${name}/`)));
}

/**
 * Asserts that the IR Const `name` is stored as its annotation says: the integers core's
 * quantizeValues gives (permuted by `perm` into ONNX's layout), the annotated scales as float32,
 * zero points, and the axis, explicit, mapped to `onnxAxis`.
 */
export function expectStoredWeight(onnx: OnnxGraph, ir: Graph, name: string, perm: readonly number[] | undefined, onnxAxis: number | undefined): void {
  const c = ir.constants.get(name)!;
  const q = c.quantization!;
  const dq = dequantizersOf(onnx, name);
  expect(dq, `a DequantizeLinear of ${name}`).to.have.length(1);
  const [stored, scale, zero] = dq[0]!.inputs.map((i) => onnx.initializers.get(i)!);
  expect(stored!.dtype).to.equal(q.dtype);
  let ints: TypedArray = quantizeValues(c.values as Float32Array, c.shape, q);
  if (perm) ints = transposeData(ints, c.shape, perm);
  expect(Array.from(stored!.data as ArrayLike<number>)).to.deep.equal(Array.from(ints as ArrayLike<number>));
  expect(Array.from(scale!.data as Float32Array)).to.deep.equal(q.scale.map(Math.fround));
  expect(Array.from(zero!.data as ArrayLike<number>)).to.deep.equal([...q.zeroPoint]);
  expect(zero!.dtype).to.equal(q.dtype);
  const axis = dq[0]!.attrs.axis;
  if (onnxAxis === undefined) expect(axis).to.equal(undefined);
  else expect(axis).to.deep.equal({ kind: 'int', value: onnxAxis });
}

/**
 * Asserts that the IR Const `name`, read only by float nodes, is stored as the integers core's
 * quantizeValues gives (permuted by `perm`) and read by Cast then Mul by its scales, shaped to
 * broadcast along `onnxAxis`.
 */
export function expectScaledWeight(onnx: OnnxGraph, ir: Graph, name: string, perm: readonly number[] | undefined, onnxAxis: number | undefined): void {
  const c = ir.constants.get(name)!;
  const q = c.quantization!;
  const casts = onnx.nodes.filter((n) => n.opType === 'Cast' && (n.inputs[0] === name || n.inputs[0]!.startsWith(`${name}/`)) && onnx.initializers.has(n.inputs[0]!));
  expect(casts, `a Cast of ${name}`).to.have.length(1);
  const stored = onnx.initializers.get(casts[0]!.inputs[0]!)!;
  let ints: TypedArray = quantizeValues(c.values as Float32Array, c.shape, q);
  if (perm) ints = transposeData(ints, c.shape, perm);
  expect(stored.dtype).to.equal(q.dtype);
  expect(Array.from(stored.data as ArrayLike<number>)).to.deep.equal(Array.from(ints as ArrayLike<number>));
  const mul = onnx.nodes.find((n) => n.opType === 'Mul' && n.inputs[0] === casts[0]!.outputs[0])!;
  const scale = onnx.initializers.get(mul.inputs[1]!)!;
  expect(Array.from(scale.data as Float32Array)).to.deep.equal(q.scale.map(Math.fround));
  if (onnxAxis !== undefined) expect(scale.dims[onnxAxis]).to.equal(q.scale.length);
}

/** Walks back from a value through layout-only nodes to the node that computes it. */
export function sourceOf(graph: OnnxGraph, value: string): OnnxNode | undefined {
  const producer = (v: string) => graph.nodes.find((n) => n.outputs.includes(v));
  let node = producer(value);
  while (node && (node.opType === 'Transpose' || node.opType === 'Reshape')) node = producer(node.inputs[0]!);
  return node;
}
