import { expect } from 'chai';
import onnxProto from 'onnx-proto';
import { ARTIFACT_DESCRIBERS, coreServices, contributionsTo, createContainer, ModelLoadError } from '@modelport/core';
import { describeOnnx, runtimeOnnx } from '../src/index.js';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

const info = (name: string, elemType: number, dims?: (number | string)[]) => ({
  name, type: { tensorType: { elemType, ...(dims ? { shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } : {}) } },
});

/**
 * y = If(c) then Relu(x) else Neg(x), with the weight w listed among the inputs as IR 3 models do,
 * a frozen input recorded in the metadata, and a custom-domain op.
 */
function branchyModel(): Uint8Array {
  const branch = (op: string) => ({ name: op, node: [{ opType: op, input: ['x'], output: [`${op}_out`] }], output: [info(`${op}_out`, T.FLOAT, ['batch', 4])] });
  const graph = {
    name: 'branchy',
    node: [
      { opType: 'Mul', input: ['x', 'w'], output: ['xw'] },
      { opType: 'If', input: ['c'], output: ['y'], attribute: [{ name: 'then_branch', type: A.GRAPH, g: branch('Relu') }, { name: 'else_branch', type: A.GRAPH, g: branch('Neg') }] },
      { opType: 'Fancy', domain: 'com.acme', input: ['xw'], output: ['z'] },
    ],
    initializer: [{ name: 'w', dataType: T.FLOAT, dims: [4], rawData: new Uint8Array(Float32Array.from([1, 2, 3, 4]).buffer) }],
    input: [info('x', T.FLOAT, ['batch', 4]), info('c', T.BOOL, []), info('w', T.FLOAT, [4])],
    output: [info('y', T.FLOAT), info('z', T.FLOAT, [2, 4])],
  };
  const frozen = { serving_default: { ratio: { name: 'ratio', dtype: 'float32', shape: [], values: [0.25] } } };
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 3, producerName: 'hand', producerVersion: '1', opsetImport: [{ domain: '', version: 13 }, { domain: 'com.acme', version: 1 }], graph,
    metadataProps: [{ key: 'modelport.frozen_inputs', value: JSON.stringify(frozen) }],
  })).finish();
}

describe('runtime-onnx: describing an .onnx file for inspect', () => {
  it('lists inputs (weights left out), outputs with named dims as dynamic, frozen inputs, ops of the branches, opsets and weights', () => {
    const bytes = branchyModel();
    const d = describeOnnx(bytes, 'branchy.onnx');
    expect(d.summary).to.equal('ONNX IR 3, opset 13, com.acme 1; producer: hand 1');
    const sig = d.signatures.serving_default!;
    expect(sig.inputs).to.deep.equal([
      { name: 'x', dtype: 'float32', shape: ['batch', 4], dynamic: true },
      { name: 'c', dtype: 'bool', shape: [], dynamic: false },
    ]);
    expect(sig.outputs).to.deep.equal([
      { name: 'y', dtype: 'float32', shape: null, dynamic: true },
      { name: 'z', dtype: 'float32', shape: [2, 4], dynamic: false },
    ]);
    expect(sig.frozenInputs).to.deep.equal([{ name: 'ratio', tensor: 'ratio', dtype: 'float32', shape: [], values: [0.25] }]);
    expect(d.ops).to.deep.equal({ Mul: 1, If: 1, Relu: 1, Neg: 1, 'com.acme.Fancy': 1 });
    expect(d.details).to.deep.equal([
      { label: 'initializers', value: 1 }, { label: 'weights', value: 16, unit: 'bytes' }, { label: 'metadata', value: 'modelport.frozen_inputs' },
    ]);
    expect(d.size).to.equal(bytes.byteLength);
  });

  it('refuses bytes that are not an ONNX model, naming the file', () => {
    expect(() => describeOnnx(new TextEncoder().encode('{"format": "graph-model"}'), 'model.json.onnx'))
      .to.throw(ModelLoadError, /file "model\.json\.onnx": not an ONNX model/);
  });

  // Found by the fuzz harness (test/fuzz): the decoder's own reasons are not for users.
  it('says in words where cut or garbled bytes go wrong, without the decoder messages', () => {
    const bytes = branchyModel();
    expect(() => describeOnnx(bytes.subarray(0, bytes.length - 7), 'cut.onnx'))
      .to.throw(ModelLoadError, /file "cut\.onnx": not an ONNX model, or cut short: (a field at byte \d+ claims \d+ byte\(s\), past the end of the data|the data \(\d+ bytes\) ends inside a field)/);
    // 0x9f 0x06: field 99 (unknown, so skipped) with wire type 7, which protobuf does not have.
    expect(() => describeOnnx(Uint8Array.from([0x9f, 0x06, 0x00]), 'w.onnx'))
      .to.throw(ModelLoadError, /byte \d+ starts a field of wire type 7, which protobuf does not have/);
  });

  it('contributes the describer of .onnx files when applied', async () => {
    const container = createContainer();
    await coreServices(container).host.apply(runtimeOnnx);
    const [contribution, ...more] = contributionsTo(container, ARTIFACT_DESCRIBERS);
    expect(more).to.deep.equal([]);
    expect(contribution!.plugin).to.equal('@modelport/runtime-onnx');
    expect([contribution!.value.format, await contribution!.value.matches('m/1/model.onnx'), await contribution!.value.matches('m/1/model.tflite')]).to.deep.equal(['onnx', true, false]);
  });
});
