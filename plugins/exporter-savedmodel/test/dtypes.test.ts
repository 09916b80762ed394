import { expect } from 'chai';
import { GraphBuilder, type ConstantTensor, type DType } from '@modelport/core';
import { constantFromTensorProto, messageType, TO_OBJECT_OPTIONS } from '@modelport/savedmodel';
import { exportSavedModel } from '../src/export-savedmodel.js';

const CASES: [DType, string, number[] | string[]][] = [
  ['float32', 'DT_FLOAT', [1.5, -2.25, 3]],
  ['float16', 'DT_HALF', [0x3c00, 0xc000, 0x3800]], // raw half bits: 1, -2, 0.5
  ['float64', 'DT_DOUBLE', [1e-300, 2, -3]],
  ['int32', 'DT_INT32', [1, -2, 2147483647]],
  ['int64', 'DT_INT64', [1, -2, 9007199254740991]],
  ['uint8', 'DT_UINT8', [0, 128, 255]],
  ['int8', 'DT_INT8', [-128, 0, 127]],
  ['int16', 'DT_INT16', [-32768, 1, 32767]],
  ['uint16', 'DT_UINT16', [0, 1, 65535]],
  ['bool', 'DT_BOOL', [1, 0, 1]],
  ['string', 'DT_STRING', ['a', '', 'héllo']],
];

function valuesOf(dtype: DType, xs: number[] | string[]): ConstantTensor['values'] {
  if (dtype === 'string') return (xs as string[]).map((s) => new Uint8Array(Buffer.from(s)));
  const n = xs as number[];
  switch (dtype) {
    case 'float32': return Float32Array.from(n);
    case 'float16': case 'uint16': return Uint16Array.from(n);
    case 'float64': return Float64Array.from(n);
    case 'int32': return Int32Array.from(n);
    case 'int64': return BigInt64Array.from(n.map(BigInt));
    case 'int8': return Int8Array.from(n);
    case 'int16': return Int16Array.from(n);
    default: return Uint8Array.from(n);
  }
}

const plain = (v: ConstantTensor['values']) => Array.from(v as ArrayLike<unknown>, (x) => (x instanceof Uint8Array ? Buffer.from(x).toString() : typeof x === 'bigint' ? x.toString() : x));

describe('SavedModel encoding of every dtype TensorFlow has', () => {
  const b = new GraphBuilder();
  for (const [dtype, , xs] of CASES) {
    b.constant(`${dtype}_array`, dtype, [xs.length], valuesOf(dtype, xs));
    b.constant(`${dtype}_scalar`, dtype, [], valuesOf(dtype, xs.slice(1, 2) as number[] | string[]));
    b.input(`${dtype}_in`, dtype, [-1, xs.length]);
    b.node(`${dtype}_out`, { op: 'Identity', inputs: [`${dtype}_in:0`], attrs: { T: { type: dtype } } });
  }
  const signature = {
    inputs: Object.fromEntries(CASES.map(([d, , xs]) => [d, { name: `${d}_in:0`, dtype: d, shape: [-1, xs.length] }])),
    outputs: Object.fromEntries(CASES.flatMap(([d, , xs]) => [[d, { name: `${d}_out:0`, dtype: d, shape: [-1, xs.length] }], [`${d}_array`, { name: `${d}_array:0`, dtype: d, shape: [xs.length] }], [`${d}_scalar`, { name: `${d}_scalar:0`, dtype: d, shape: [] }]])),
  };
  const graph = b.signature('serving_default', signature).build();
  const type = messageType('SavedModel');
  const saved = type.toObject(type.decode(exportSavedModel(graph, { variables: false, assets: [] }).savedModelPb), TO_OBJECT_OPTIONS) as any;
  const nodes = new Map<string, any>(saved.metaGraphs[0].graphDef.node.map((n: any) => [n.name, n]));

  for (const [dtype, tf, xs] of CASES) {
    it(`${dtype} (${tf}): Consts read back to the same values (array in tensor_content, scalar in its *_val), Placeholder and TensorInfo typed ${tf}`, () => {
      for (const [name, shape, want] of [[`${dtype}_array`, [xs.length], xs], [`${dtype}_scalar`, [], xs.slice(1, 2)]] as const) {
        const n = nodes.get(name);
        expect(n.attr.dtype.type, name).to.equal(tf);
        const back = constantFromTensorProto(n.attr.value.tensor, name);
        expect(back.dtype, name).to.equal(dtype);
        expect(back.shape, name).to.deep.equal(shape);
        expect(plain(back.values), name).to.deep.equal(plain(valuesOf(dtype, want as number[] | string[])));
        const content = n.attr.value.tensor.tensorContent;
        expect(Boolean(content?.length), `${name} tensor_content`).to.equal(shape.length > 0 && dtype !== 'string' && dtype !== 'bool');
      }
      expect(nodes.get(`${dtype}_in`).attr.dtype.type).to.equal(tf);
      const sig = saved.metaGraphs[0].signatureDef.serving_default;
      expect(sig.inputs[dtype].dtype).to.equal(tf);
      expect(sig.outputs[`${dtype}_scalar`].tensorShape).to.deep.equal({});
    });
  }
});
