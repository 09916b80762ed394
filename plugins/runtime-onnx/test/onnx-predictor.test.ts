import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { coreServices, createContainer, DEFAULT_SIGNATURE, ModelportError, silentLogger } from '@modelport/core';
import { loadOnnxPredictor, runtimeOnnx } from '../src/index.js';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;

/** y = x · 2 (float, dynamic batch), m = n + 1 (int64 scalar), h = float16(x): written with onnx-proto directly. */
function tinyModel(): Uint8Array {
  const info = (name: string, elemType: number, dims: (number | string)[]) => ({
    name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const graph = {
    name: 'tiny',
    node: [
      { opType: 'Mul', input: ['x', 'two'], output: ['y'] },
      { opType: 'Add', input: ['n', 'one'], output: ['m'] },
      { opType: 'Cast', input: ['x'], output: ['h'], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: T.FLOAT16 }] },
    ],
    initializer: [
      { name: 'two', dataType: T.FLOAT, dims: [], rawData: new Uint8Array(Float32Array.from([2]).buffer) },
      { name: 'one', dataType: T.INT64, dims: [], rawData: new Uint8Array(BigInt64Array.from([1n]).buffer) },
    ],
    input: [info('x', T.FLOAT, ['batch', 3]), info('n', T.INT64, [])],
    output: [info('y', T.FLOAT, ['batch', 3]), info('m', T.INT64, []), info('h', T.FLOAT16, ['batch', 3])],
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph })).finish();
}

const options = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' as const };

describe('runtime-onnx: Predictor over onnxruntime-node', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-ort-'));
    file = path.join(dir, 'model.onnx');
    await fs.writeFile(file, tinyModel());
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('states the model\'s inputs and outputs as its serving_default signature', async () => {
    const p = await loadOnnxPredictor(file, silentLogger, options);
    try {
      expect(p.format).to.equal('onnx');
      expect(p.signatures[DEFAULT_SIGNATURE]).to.deep.equal({
        inputs: { x: { name: 'x', dtype: 'float32', shape: [-1, 3] }, n: { name: 'n', dtype: 'int64', shape: [] } },
        outputs: { y: { name: 'y', dtype: 'float32', shape: [-1, 3] }, m: { name: 'm', dtype: 'int64', shape: [] }, h: { name: 'h', dtype: 'float16', shape: [-1, 3] } },
      });
    } finally { await p.dispose(); }
  });

  it('runs by signature names, converting inputs to the declared types and float16 outputs to float32', async () => {
    const p = await loadOnnxPredictor(file, silentLogger, options);
    try {
      const out = await p.predict({
        x: { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 0.5]) },
        n: { dtype: 'int32', shape: [], data: Int32Array.from([41]) },
      });
      expect(Array.from(out.y!.data as Float32Array)).to.deep.equal([2, 4, 6, 8, 10, 1]);
      expect(out.y!.shape).to.deep.equal([2, 3]);
      expect(Number((out.m!.data as BigInt64Array)[0])).to.equal(42);
      expect(out.h!.dtype).to.equal('float32');
      expect(Array.from(out.h!.data as Float32Array)).to.deep.equal([1, 2, 3, 4, 5, 0.5]);
    } finally { await p.dispose(); }
  });

  it('names the missing input and the file', async () => {
    const p = await loadOnnxPredictor(file, silentLogger, options);
    try {
      const err = await p.predict({ x: { dtype: 'float32', shape: [1, 3], data: new Float32Array(3) } }).then(() => undefined, (e: Error) => e);
      expect(err).to.be.instanceOf(ModelportError);
      expect(err!.message).to.include(file).and.to.match(/input "n" is missing; the model takes x, n/);
    } finally { await p.dispose(); }
  });

  for (const [label, bytes] of [
    ['random bytes', () => Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919) % 251)],
    ['a truncated model', () => tinyModel().slice(0, 60)],
    ['an empty file', () => new Uint8Array(0)],
  ] as const) {
    it(`refuses ${label} with a ModelportError naming the file`, async () => {
      const bad = path.join(dir, `bad-${label.replace(/\W+/g, '-')}.onnx`);
      await fs.writeFile(bad, bytes());
      const err = await loadOnnxPredictor(bad, silentLogger, options).then(() => undefined, (e: Error) => e);
      expect(err).to.be.instanceOf(ModelportError);
      expect((err as ModelportError).file).to.equal(bad);
      expect(err!.message).to.match(/onnxruntime cannot load this model/);
    });
  }

  it('says so when the file does not exist', async () => {
    const err = await loadOnnxPredictor(path.join(dir, 'nope.onnx'), silentLogger, options).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/file ".*nope\.onnx": no such ONNX file/);
  });

  it('serves onnx artifacts through the serve hook', async () => {
    const { hooks, host } = coreServices(createContainer());
    await host.apply(runtimeOnnx, { intraOpNumThreads: 1 });
    const p = await hooks.serve.for('onnx').promise({ format: 'onnx', path: file, logger: silentLogger });
    expect(p?.format).to.equal('onnx');
    await p?.dispose();
  });
});
