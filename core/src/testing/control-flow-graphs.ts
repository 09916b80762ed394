// Tiny TensorFlow v1 control-flow graphs, written as TensorFlow writes them, for the exporters'
// tests (ONNX Loop/If, TFLite WHILE/IF): reached as "@modelport/core/testing", not part of the API.
import { attrValue as a, type AttrValue } from '../graph/attrs.js';
import { GraphBuilder } from '../graph/builder.js';
import { parseTensorRef, tensorRef } from '../graph/refs.js';
import type { DType } from '../graph/dtype.js';
import type { Graph, TensorRef } from '../graph/types.js';

class Tiny {
  readonly b = new GraphBuilder();
  private count = 0;
  input(name: string, shape: readonly number[], dtype: DType = 'float32'): TensorRef { return this.b.input(name, dtype, shape); }
  const(dtype: DType, shape: readonly number[], values: readonly number[]): TensorRef { return this.b.constant(`c${this.count++}`, dtype, shape, values); }
  op(op: string, inputs: readonly TensorRef[], attrs: Record<string, AttrValue> = {}, name = `${op.toLowerCase()}${this.count++}`): TensorRef {
    return this.b.node(name, { op, inputs, attrs });
  }
  out(ref: TensorRef, i: number): TensorRef { return tensorRef(parseTensorRef(ref).node, i); }
  enter(x: TensorRef, name: string, constant = false): TensorRef {
    return this.op('Enter', [x], { frame_name: a.string('loop'), parallel_iterations: a.int(10), is_constant: a.bool(constant) }, name);
  }
  /** Constants inside a loop body hang on the iteration by a control input, as TensorFlow writes them. */
  build(output: TensorRef, inFrame: Record<string, string> = {}): Graph {
    const graph = this.b.outputs(output).build();
    return { ...graph, nodes: graph.nodes.map((n) => (inFrame[n.name] ? { ...n, controlInputs: [inFrame[n.name]!] } : n)) };
  }
}
const nodeOf = (ref: TensorRef) => parseTensorRef(ref).node;

/** tf.map_fn(lambda row: row * row + 1, x) as TF1 writes it: TensorArrays and a v1 while loop; x [-1, 3]. */
export function mapFnGraph(): Graph {
  const g = new Tiny();
  const x = g.input('x', [-1, 3]);
  const n = g.op('StridedSlice', [g.op('Shape', [x], { out_type: a.dtype('int32') }), g.const('int32', [1], [0]), g.const('int32', [1], [1]), g.const('int32', [1], [1])], { shrink_axis_mask: a.int(1) }, 'n');
  const taAttrs = { dtype: a.dtype('float32'), element_shape: a.shape(null), dynamic_size: a.bool(false), clear_after_read: a.bool(true), identical_element_shapes: a.bool(true), tensor_array_name: a.string('') };
  const taIn = g.op('TensorArrayV3', [n], taAttrs, 'ta_in');
  const range = g.op('Range', [g.const('int32', [], [0]), n, g.const('int32', [], [1])], { Tidx: a.dtype('int32') });
  const scatter = g.op('TensorArrayScatterV3', [taIn, range, x, g.out(taIn, 1)], {}, 'scatter');
  const taOut = g.op('TensorArrayV3', [n], taAttrs, 'ta_out');
  const i0 = g.enter(g.const('int32', [], [0]), 'enter_i');
  const flow0 = g.enter(g.out(taOut, 1), 'enter_flow');
  const nIn = g.enter(n, 'enter_n', true);
  const inHandle = g.enter(taIn, 'enter_in_handle', true);
  const inFlow = g.enter(scatter, 'enter_in_flow', true);
  const outHandle = g.enter(taOut, 'enter_out_handle', true);
  const mergeI = g.op('Merge', [i0, 'next_i:0'], {}, 'merge_i');
  const mergeFlow = g.op('Merge', [flow0, 'next_flow:0'], {}, 'merge_flow');
  const cond = g.op('LoopCond', [g.op('Less', [mergeI, nIn], {}, 'less')], {}, 'loop_cond');
  const swI = g.op('Switch', [mergeI, cond], {}, 'switch_i');
  const swFlow = g.op('Switch', [mergeFlow, cond], {}, 'switch_flow');
  const exitFlow = g.op('Exit', [swFlow], {}, 'exit_flow');
  g.op('Exit', [swI], {}, 'exit_i');
  const i = g.op('Identity', [g.out(swI, 1)], {}, 'i');
  const row = g.op('TensorArrayReadV3', [inHandle, i, inFlow], { dtype: a.dtype('float32') }, 'row');
  const one = g.const('float32', [], [1]);
  const y = g.op('AddV2', [g.op('Mul', [row, row], {}, 'sq'), one], {}, 'y');
  const write = g.op('TensorArrayWriteV3', [outHandle, i, y, g.out(swFlow, 1)], {}, 'write');
  const step = g.const('int32', [], [1]);
  g.op('NextIteration', [g.op('AddV2', [i, step], {}, 'i_next')], {}, 'next_i');
  g.op('NextIteration', [write], {}, 'next_flow');
  const size = g.op('TensorArraySizeV3', [taOut, exitFlow], {}, 'size');
  const all = g.op('Range', [g.const('int32', [], [0]), size, g.const('int32', [], [1])], { Tidx: a.dtype('int32') });
  const stacked = g.op('TensorArrayGatherV3', [taOut, all, exitFlow], { dtype: a.dtype('float32'), element_shape: a.shape([3]) }, 'stacked');
  return g.build(stacked, { [nodeOf(one)]: 'i', [nodeOf(step)]: 'i' });
}

/** The same map_fn as TF2 lowers it: TensorLists (FromTensor, GetItem, SetItem, Stack); x [2, 3]. */
export function tensorListMapGraph(): Graph {
  const g = new Tiny();
  const x = g.input('x', [2, 3]);
  const elementShape = g.const('int32', [1], [3]);
  const listIn = g.op('TensorListFromTensor', [x, elementShape], { element_dtype: a.dtype('float32'), shape_type: a.dtype('int32') }, 'list_in');
  const reserve = g.op('TensorListReserve', [elementShape, g.const('int32', [], [2])], { element_dtype: a.dtype('float32'), shape_type: a.dtype('int32') }, 'reserve');
  const i0 = g.enter(g.const('int32', [], [0]), 'enter_i');
  const out0 = g.enter(reserve, 'enter_out');
  const in0 = g.enter(listIn, 'enter_in');
  const mergeI = g.op('Merge', [i0, 'next_i:0'], {}, 'merge_i');
  const mergeOut = g.op('Merge', [out0, 'next_out:0'], {}, 'merge_out');
  const mergeIn = g.op('Merge', [in0, 'next_in:0'], {}, 'merge_in');
  const limit = g.const('int32', [], [2]);
  const cond = g.op('LoopCond', [g.op('Less', [mergeI, limit], {}, 'less')], {}, 'loop_cond');
  const swI = g.op('Switch', [mergeI, cond], {}, 'switch_i');
  const swOut = g.op('Switch', [mergeOut, cond], {}, 'switch_out');
  const swIn = g.op('Switch', [mergeIn, cond], {}, 'switch_in');
  const exitOut = g.op('Exit', [swOut], {}, 'exit_out');
  const i = g.op('Identity', [g.out(swI, 1)], {}, 'i');
  const row = g.op('TensorListGetItem', [g.out(swIn, 1), i, elementShape], { element_dtype: a.dtype('float32') }, 'row');
  const y = g.op('Sub', [g.op('Mul', [row, g.const('float32', [], [3])], {}, 'scaled'), row], {}, 'y');
  const set = g.op('TensorListSetItem', [g.out(swOut, 1), i, y], { element_dtype: a.dtype('float32') }, 'set');
  g.op('NextIteration', [g.op('AddV2', [i, g.const('int32', [], [1])], {}, 'i_next')], {}, 'next_i');
  g.op('NextIteration', [set], {}, 'next_out');
  g.op('NextIteration', [g.out(swIn, 1)], {}, 'next_in');
  const stacked = g.op('TensorListStack', [exitOut, elementShape], { element_dtype: a.dtype('float32'), num_elements: a.int(2) }, 'stacked');
  return g.build(stacked, { [nodeOf(limit)]: 'merge_i' });
}

/** A loop carrying state: acc += x · i for i < 5; x [2, 2]. */
export function accumulatingLoopGraph(): Graph {
  const g = new Tiny();
  const x = g.input('x', [2, 2]);
  const acc0 = g.enter(g.op('ZerosLike', [x]), 'enter_acc');
  const i0 = g.enter(g.const('float32', [], [0]), 'enter_i');
  const xIn = g.enter(x, 'enter_x', true);
  const mergeAcc = g.op('Merge', [acc0, 'next_acc:0'], {}, 'merge_acc');
  const mergeI = g.op('Merge', [i0, 'next_i:0'], {}, 'merge_i');
  const limit = g.const('float32', [], [5]);
  const cond = g.op('LoopCond', [g.op('Less', [mergeI, limit], {}, 'less')], {}, 'loop_cond');
  const swAcc = g.op('Switch', [mergeAcc, cond], {}, 'switch_acc');
  const swI = g.op('Switch', [mergeI, cond], {}, 'switch_i');
  const acc = g.op('Exit', [swAcc], {}, 'exit_acc');
  g.op('Exit', [swI], {}, 'exit_i');
  const i = g.op('Identity', [g.out(swI, 1)], {}, 'i');
  const step = g.const('float32', [], [1]);
  g.op('NextIteration', [g.op('AddV2', [g.out(swAcc, 1), g.op('Mul', [xIn, i], {}, 'xi')], {}, 'acc_next')], {}, 'next_acc');
  g.op('NextIteration', [g.op('AddV2', [i, step], {}, 'i_next')], {}, 'next_i');
  return g.build(acc, { [nodeOf(step)]: 'i', [nodeOf(limit)]: 'merge_i' });
}

/**
 * A TF1 cond on s > 0: x · 2 when true; else x concatenated with itself (twice as long) or, with
 * `sameShape`, x + x. Inputs x [3] and the scalar s.
 */
export function condGraph(sameShape = false): Graph {
  const g = new Tiny();
  const x = g.input('x', [3]);
  const s = g.input('s', []);
  const pred = g.op('Greater', [s, g.const('float32', [], [0])], {}, 'pred');
  const sw = g.op('Switch', [x, pred], {}, 'switch_x');
  const then = g.op('Mul', [g.out(sw, 1), g.const('float32', [], [2])], {}, 'then_mul');
  const otherwise = sameShape
    ? g.op('AddV2', [g.out(sw, 0), g.out(sw, 0)], {}, 'else_add')
    : g.op('ConcatV2', [g.out(sw, 0), g.out(sw, 0), g.const('int32', [], [0])], { N: a.int(2) }, 'else_concat');
  return g.build(g.op('Merge', [otherwise, then], {}, 'merge'));
}
