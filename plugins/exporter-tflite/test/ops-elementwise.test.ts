import { expect } from 'chai';
import { attrValue, initBackend, onCpuBackend } from '@modelport/core';
import { describeFailures, exportAndCompare } from './run-both.js';
import { opGraph, type OpCase } from './op-graph.js';

async function expectMatch(c: OpCase, tolerance = 1e-4): Promise<readonly string[]> {
  const { comparisons, ops } = await exportAndCompare(opGraph(c), {}, tolerance);
  expect(comparisons.every((x) => x.ok), describeFailures(comparisons)).to.equal(true);
  return ops;
}

describe('exporter-tflite: elementwise ops in LiteRT.js', () => {
  before(() => initBackend());

  for (const op of ['Add', 'AddV2', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum', 'SquaredDifference', 'Atan2']) {
    it(`${op} broadcasts [1, 4, 1, 3] with [5, 1]`, () => expectMatch({ op, inputs: [{ feed: [1, 4, 1, 3] }, { constant: [5, 1] }] }));
  }
  it('Pow of a positive base', () => expectMatch({ op: 'Pow', inputs: [{ constant: [2, 3], values: [0.5, 1, 2, 3, 4, 5] }, { feed: [2, 3] }] }));
  it('BiasAdd adds along channels', () => expectMatch({ op: 'BiasAdd', inputs: [{ feed: [1, 3, 3, 4] }, { constant: [4] }], attrs: { data_format: attrValue.string('NHWC') } }));
  it('AddN of three tensors', () => expectMatch({ op: 'AddN', inputs: [{ feed: [2, 3] }, { feed: [2, 3] }, { constant: [2, 3] }] }));
  it('FloorDiv and FloorMod on int32 with negatives follow Python rounding', async () => {
    for (const op of ['FloorDiv', 'FloorMod']) {
      const { comparisons } = await exportAndCompare(opGraph({ op, inputs: [{ constant: [6], dtype: 'int32', values: [7, -7, 7, -7, 0, 9] }, { feed: [6], dtype: 'int32' }] }), {}, 1e-4,
        { x1: { dtype: 'int32', shape: [6], data: Int32Array.from([2, 2, -2, -2, 3, 4]) } });
      expect(comparisons.every((x) => x.ok), describeFailures(comparisons)).to.equal(true);
    }
  });
  it('Atan2 with rank-5 broadcasting gets explicit BROADCAST_TO', async () => {
    const ops = await expectMatch({ op: 'Atan2', inputs: [{ feed: [2, 3, 1, 5, 1] }, { constant: [4, 1, 1] }] });
    expect(ops).to.include('BROADCAST_TO');
  });
  for (const op of ['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual']) {
    it(`${op} returns bool (uint8 at the edge)`, () => expectMatch({ op, inputs: [{ feed: [2, 3] }, { constant: [1, 3], values: [0.25, 0.5, 0.75] }] }));
  }
  it('SelectV2 broadcasts its condition', async () => {
    await expectMatch({ op: 'SelectV2', inputs: [{ constant: [1, 3], dtype: 'bool', values: [1, 0, 1] }, { feed: [2, 3] }, { constant: [2, 3] }], attrs: { T: attrValue.dtype('float32') } });
  });

  const unary = ['Exp', 'Sqrt', 'Rsqrt', 'Square', 'Neg', 'Abs', 'Floor', 'Ceil', 'Round', 'Sin', 'Cos', 'Sign', 'Tanh', 'Sigmoid', 'Relu', 'Relu6', 'Elu', 'Softmax', 'LogSoftmax', 'Reciprocal', 'ZerosLike', 'Identity'];
  for (const op of unary) {
    it(`${op}`, () => expectMatch({ op, inputs: [{ feed: [2, 5] }] }));
  }
  it('Log', () => expectMatch({ op: 'Log', inputs: [{ feed: [3, 4] }] }));
  it('LeakyRelu with alpha 0.1', async () => {
    const { comparisons } = await exportAndCompare(opGraph({ op: 'LeakyRelu', inputs: [{ feed: [2, 5] }], attrs: { alpha: attrValue.float(0.1) } }), {}, 1e-4, { x0: { dtype: 'float32', shape: [2, 5], data: Float32Array.from([-3, -1, 0, 1, 3, -0.5, 0.5, -2, 2, 7]) } });
    expect(comparisons.every((x) => x.ok), describeFailures(comparisons)).to.equal(true);
  });
  it('Prelu with a per-channel alpha', () => expectMatch({ op: 'Prelu', inputs: [{ feed: [1, 2, 2, 3] }, { constant: [3] }] }));
  it('Cast float32 → int32 truncates toward zero', async () => {
    const { comparisons } = await exportAndCompare(opGraph({ op: 'Cast', inputs: [{ feed: [6] }], attrs: { SrcT: attrValue.dtype('float32'), DstT: attrValue.dtype('int32') } }), {}, 1e-4,
      { x0: { dtype: 'float32', shape: [6], data: Float32Array.from([-2.7, -0.5, 0, 0.5, 2.7, 9.99]) } });
    expect(comparisons.every((x) => x.ok), describeFailures(comparisons)).to.equal(true);
  });
  // TF (and tfjs cpu, and TFLite's CAST) make x ≠ 0 true; tfjs' wasm backend copies the floats into
  // bytes instead (0.5 → false, 2.7 → 2), so the reference here is tfjs cpu. handtrack's area mask is such a cast.
  it('Cast float32 → bool is x ≠ 0 (as TF and tfjs cpu), fractions included', async () => {
    const x = [0, 0.0037, 0.5, -0.2, 2.7, -0];
    const graph = opGraph({ op: 'Cast', inputs: [{ feed: [6] }], attrs: { SrcT: attrValue.dtype('float32'), DstT: attrValue.dtype('bool') } });
    const { comparisons, outputs } = await onCpuBackend(() => exportAndCompare(graph, {}, 0, { x0: { dtype: 'float32', shape: [6], data: Float32Array.from(x) } }));
    expect(comparisons.every((c) => c.ok), describeFailures(comparisons)).to.equal(true);
    expect(Array.from(Object.values(outputs)[0]!.data as Uint8Array, Number)).to.deep.equal(x.map((v) => (v !== 0 ? 1 : 0)));
  });
  it('Cast bool → float32', () => expectMatch({ op: 'Cast', inputs: [{ feed: [4], dtype: 'bool' }], attrs: { SrcT: attrValue.dtype('bool'), DstT: attrValue.dtype('float32') } }));
  it('an int64 input travels as int32 and casts away', async () => {
    const ops = await expectMatch({ op: 'Cast', inputs: [{ feed: [4], dtype: 'int64' }], attrs: { SrcT: attrValue.dtype('int64'), DstT: attrValue.dtype('float32') } });
    expect(ops).to.include('CAST');
  });
});
