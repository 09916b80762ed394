import { expect } from 'chai';
import { type Graph, type TensorRef } from '@modelport/core';
import { countOps } from '../src/index.js';
import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip, runOnnx } from './helpers/roundtrip.js';

const FRAME = { frame_name: a.string('loop'), parallel_iterations: a.int(10) };
const enter = (g: TinyGraph, x: TensorRef, name: string, constant = false) => g.op('Enter', [x], { ...FRAME, is_constant: a.bool(constant) }, name);

/** Constants inside a loop body hang on the iteration by a control input, as TensorFlow writes them. */
function inFrame(graph: Graph, consts: Record<string, string>): Graph {
  const nodes = graph.nodes.map((n) => (consts[n.name] ? { ...n, controlInputs: [consts[n.name]!] } : n));
  return { ...graph, nodes };
}

/** tf.map_fn(lambda row: row * row + 1, x) as TF1 writes it: TensorArrays and a v1 while loop. */
function mapFnGraph(): Graph {
  const g = new TinyGraph();
  const x = g.input('x', [-1, 3]);
  const n = g.op('StridedSlice', [g.op('Shape', [x], { out_type: a.dtype('int32') }), g.const('int32', [1], [0]), g.const('int32', [1], [1]), g.const('int32', [1], [1])], { shrink_axis_mask: a.int(1) }, 'n');
  const taAttrs = { dtype: a.dtype('float32'), element_shape: a.shape(null), dynamic_size: a.bool(false), clear_after_read: a.bool(true), identical_element_shapes: a.bool(true), tensor_array_name: a.string('') };
  const taIn = g.op('TensorArrayV3', [n], taAttrs, 'ta_in');
  const range = g.op('Range', [g.const('int32', [], [0]), n, g.const('int32', [], [1])], { Tidx: a.dtype('int32') });
  const scatter = g.op('TensorArrayScatterV3', [taIn, range, x, g.out(taIn, 1)], {}, 'scatter');
  const taOut = g.op('TensorArrayV3', [n], taAttrs, 'ta_out');
  const i0 = enter(g, g.const('int32', [], [0]), 'enter_i');
  const flow0 = enter(g, g.out(taOut, 1), 'enter_flow');
  const nIn = enter(g, n, 'enter_n', true);
  const inHandle = enter(g, taIn, 'enter_in_handle', true);
  const inFlow = enter(g, scatter, 'enter_in_flow', true);
  const outHandle = enter(g, taOut, 'enter_out_handle', true);
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
  return inFrame(g.build(stacked), { [one.split(':')[0]!]: 'i', [step.split(':')[0]!]: 'i' });
}

describe('exporter-onnx: control flow', () => {
  it('turns a TF1 map_fn (while loop + TensorArrays) into an ONNX Loop with a scan output', async () => {
    const r = await roundTrip(mapFnGraph(), { x: random('float32', [4, 3]) });
    expectClose(r);
    expect(countOps(r.exported.model.graph, 'Loop')).to.equal(1);
    expect(r.reference[0]!.shape).to.deep.equal([4, 3]);
  });

  // tfjs cannot stack an empty TensorArray, so only onnxruntime runs this one.
  it('runs the loop zero times on an empty batch', async () => {
    const outputs = await runOnnx(mapFnGraph(), { x: random('float32', [0, 3]) });
    expect(Object.values(outputs)[0]!.shape[0]).to.equal(0);
  });

  it('carries loop state: acc += x · i for i < 5', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 2]);
    const acc0 = enter(g, g.op('ZerosLike', [x]), 'enter_acc');
    const i0 = enter(g, g.const('float32', [], [0]), 'enter_i');
    const xIn = enter(g, x, 'enter_x', true);
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
    const graph = inFrame(g.build(acc), { [step.split(':')[0]!]: 'i', [limit.split(':')[0]!]: 'merge_i' });
    expectClose(await roundTrip(graph, { x: random('float32', [2, 2]) }));
  });

  for (const value of [2, -2]) {
    it(`turns a TF1 cond (Switch/Merge) into an ONNX If; predicate ${value > 0 ? 'true' : 'false'}`, async () => {
      const g = new TinyGraph();
      const x = g.input('x', [3]);
      const s = g.input('s', []);
      const pred = g.op('Greater', [s, g.const('float32', [], [0])], {}, 'pred');
      const sw = g.op('Switch', [x, pred], {}, 'switch_x');
      const then = g.op('Mul', [g.out(sw, 1), g.const('float32', [], [2])], {}, 'then_mul');
      const otherwise = g.op('Concat', [g.const('int32', [], [0]), g.out(sw, 0), g.out(sw, 0)], {}, 'else_concat');
      const merged = g.op('Merge', [otherwise, then], {}, 'merge');
      const r = await roundTrip(g.build(merged), { x: random('float32', [3]), s: { dtype: 'float32', shape: [], data: Float32Array.from([value]) } });
      expectClose(r);
      expect(countOps(r.exported.model.graph, 'If')).to.equal(1);
    });
  }
});
