import { expect } from 'chai';
import { float32ToFloat16Array } from '@modelport/core';
import { exportOnnx } from '../src/index.js';
import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip, tensor } from './helpers/roundtrip.js';

describe('exporter-onnx: element types', () => {
  it('keeps float16 weights float16 in the file and computes in float32, as tfjs does', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 100]);
    const values = (random('float32', [100, 50], 3).data as Float32Array).map((v) => v * 2 - 1);
    const half = g.b.constant('half', 'float16', [100, 50], float32ToFloat16Array(values));
    const r = await roundTrip(g.build(g.op('MatMul', [x, half])), { x: random('float32', [2, 100]) });
    expectClose(r);
    const stored = [...r.exported.model.graph.initializers.values()].find((t) => t.name === 'half');
    expect(stored?.dtype).to.equal('float16');
  });

  // Known float16 contents were once read as raw half bits when folded.
  it('folds small float16 constants by their values', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [2, 4]);
    const half = g.b.constant('half', 'float16', [4], float32ToFloat16Array([0.5, -1.25, 2, 3.5]));
    expectClose(await roundTrip(g.build(g.op('Mul', [x, half])), { x: random('float32', [2, 4]) }));
  });

  it('takes uint8 images (cast on entry) and int32 / bool inputs', async () => {
    const g = new TinyGraph();
    const img = g.input('img', [1, 2, 2, 3], 'uint8');
    const idx = g.input('idx', [2], 'int32');
    const flag = g.input('flag', [2], 'bool');
    const f = g.op('Cast', [img], { SrcT: a.dtype('uint8'), DstT: a.dtype('float32') });
    const scaled = g.op('Mul', [f, g.const('float32', [], [1 / 255])]);
    const picked = g.op('GatherV2', [g.op('Reshape', [scaled, g.const('int32', [1], [-1])]), idx, g.const('int32', [], [0])]);
    const chosen = g.op('SelectV2', [flag, picked, g.const('float32', [], [-1])]);
    const r = await roundTrip(g.build(chosen, g.op('AddV2', [idx, g.const('int32', [], [3])])), {
      img: { dtype: 'uint8', shape: [1, 2, 2, 3], data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 255]) },
      idx: tensor('int32', [2], [11, 4]), flag: tensor('bool', [2], [1, 0]),
    });
    expectClose(r);
    expect(r.exported.model.graph.inputs.map((i) => i.dtype)).to.deep.equal(['uint8', 'int32', 'bool']);
  });

  it('stores int64 weights as the int32 tfjs computes with', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [3], 'int32');
    const big = g.b.constant('big', 'int64', [3], [1, -2, 3]);
    expectClose(await roundTrip(g.build(g.op('Mul', [x, big])), { x: tensor('int32', [3], [4, 5, 6]) }));
  });

  it('writes opset 17 with IR version 8 by default, and newer pairs on request', () => {
    const g = new TinyGraph();
    const y = g.op('Relu', [g.input('x', [2])]);
    expect(exportOnnx(g.build(y), { opset: 17, optimize: true }).model.irVersion).to.equal(8);
    expect(exportOnnx(g.build(y), { opset: 19, optimize: true }).model.irVersion).to.equal(9);
  });
});
