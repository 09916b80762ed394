import { expect } from 'chai';
import {
  attrValue, decodeTfjsWeights, encodeTfjsWeight, float16BitsToNumber, GraphBuilder, graphFromTfjsGraphModel, graphToTfjsGraphModel,
  GraphExecutor, initBackend, ModelLoadError, numberToFloat16Bits, type ConstantTensor, type TfjsModelJson,
} from '@modelport/core';

describe('tfjs format', () => {
  before(() => initBackend());

  it('converts float16 bits exactly both ways, with rounding to nearest even', () => {
    for (const v of [0, -0, 1, -2.5, 65504, 6.103515625e-5, 5.960464477539063e-8, Infinity, -Infinity]) {
      expect(float16BitsToNumber(numberToFloat16Bits(v))).to.equal(v);
    }
    expect(Number.isNaN(float16BitsToNumber(numberToFloat16Bits(NaN)))).to.equal(true);
    expect(float16BitsToNumber(numberToFloat16Bits(1 + 2 ** -11))).to.equal(1); // tie → even
    expect(float16BitsToNumber(numberToFloat16Bits(70000))).to.equal(Infinity);
  });

  it('quantizes weights to uint8 with zero exactly representable, and decodes them back within one step', () => {
    const values = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i) * 3 - 0.5);
    values[7] = 0;
    const c: ConstantTensor = { dtype: 'float32', shape: [10, 10], values };
    const enc = encodeTfjsWeight('w', c, 'uint8');
    expect(enc.bytes.byteLength).to.equal(100);
    const dec = decodeTfjsWeights([enc.spec], enc.bytes, 'mem').get('w')!.values as Float32Array;
    const step = enc.spec.quantization!.scale!;
    expect(dec[7]).to.equal(0);
    for (let i = 0; i < 100; i++) expect(Math.abs(dec[i]! - values[i]!)).to.be.at.most(step / 2 + 1e-6);
  });

  it('refuses weight data cut short, naming the file and the weight', () => {
    const c: ConstantTensor = { dtype: 'float32', shape: [4], values: new Float32Array([1, 2, 3, 4]) };
    const enc = encodeTfjsWeight('kernel', c, undefined);
    expect(() => decodeTfjsWeights([enc.spec], enc.bytes.subarray(0, 10), 'group1-shard1of1.bin'))
      .to.throw(ModelLoadError, /group1-shard1of1\.bin.*cut short: weight "kernel" needs bytes up to 16, the shards have 10/);
  });

  it('round-trips a graph through model.json with attributes, control inputs and signature intact', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [-1, 3]);
    const k = b.constant('k', 'float32', [3], [1, -2, 3]);
    const noop = b.node('init', { op: 'NoOp' });
    const m = b.node('mul', { op: 'Mul', inputs: [x, k], controlInputs: [noop.replace(/:0$/, '')] });
    const s = b.node('lrelu', { op: 'LeakyRelu', inputs: [m], attrs: { alpha: attrValue.float(0.2) } });
    const g = b.outputs(s).signature('serving_default', {
      inputs: { image: { name: 'x:0', dtype: 'float32', shape: [-1, 3] } },
      outputs: { score: { name: 'lrelu:0', dtype: 'float32', shape: [-1, 3] } },
    }).build();
    const { modelJson, weights } = graphToTfjsGraphModel(g);
    const json = { ...modelJson, weightsManifest: [{ paths: ['w.bin'], weights: weights.map((w) => w.spec) }] } as TfjsModelJson;
    const bytes = new Uint8Array(Buffer.concat(weights.map((w) => w.bytes)));
    const back = graphFromTfjsGraphModel(JSON.parse(JSON.stringify(json)), decodeTfjsWeights(json.weightsManifest[0]!.weights, bytes, 'w.bin'), 'model.json');
    expect(back.nodes.find((n) => n.name === 'mul')!.controlInputs).to.deep.equal(['init']);
    expect(back.nodes.find((n) => n.name === 'lrelu')!.attrs.alpha).to.deep.equal({ f: 0.2 });
    expect(back.signatures.serving_default).to.deep.equal(g.signatures.serving_default);
    expect(back.outputs).to.deep.equal(['lrelu:0']);
  });

  it('runs a graph in tfjs and fetches an intermediate tensor', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    const k = b.constant('k', 'float32', [2], [3, -4]);
    const m = b.node('mul', { op: 'Mul', inputs: [x, k] });
    const g = b.outputs(b.node('relu', { op: 'Relu', inputs: [m] })).build();
    const exec = await GraphExecutor.create(g);
    const [relu, mul] = await exec.run({ x: { dtype: 'float32', shape: [2], data: new Float32Array([1, 1]) } }, ['relu:0', 'mul:0']);
    exec.dispose();
    expect(Array.from(relu!.data as Float32Array)).to.deep.equal([3, 0]);
    expect(Array.from(mul!.data as Float32Array)).to.deep.equal([3, -4]);
  });
});

describe('tfjs backends', () => {
  before(() => initBackend());

  it('runs on wasm by default and falls back to cpu, per model, for a kernel wasm lacks', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'int32', [1, 2, 2]);
    const k = b.constant('k', 'int32', [1, 2, 2], [1, 2, 3, 4]);
    const g = b.outputs(b.node('mm', { op: 'BatchMatMulV2', inputs: [x, k], attrs: { adj_x: attrValue.bool(false), adj_y: attrValue.bool(false) } })).build();
    const exec = await GraphExecutor.create(g);
    expect(exec.backend).to.equal(process.env.MODELPORT_BACKEND ?? 'wasm');
    const [out] = await exec.run({ x: { dtype: 'int32', shape: [1, 2, 2], data: new Int32Array([1, 0, 0, 1]) } });
    expect(Array.from(out!.data as Int32Array)).to.deep.equal([1, 2, 3, 4]);
    expect(exec.backend).to.equal('cpu');
    exec.dispose();
  });
});
