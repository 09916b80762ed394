import { expect } from 'chai';
import { constantFromTensorProto, messageType, type TensorProtoObject } from '../src/index.js';

/** A TensorProto through the wire and back, as the reader sees it. */
function decoded(fields: Record<string, unknown>): TensorProtoObject {
  const type = messageType('TensorProto');
  const bytes = type.encode(type.fromObject(fields)).finish();
  return type.toObject(type.decode(bytes), { longs: String, enums: String, bytes: String }) as TensorProtoObject;
}

const shape = (...dims: number[]) => ({ dim: dims.map((size) => ({ size })) });

describe('constantFromTensorProto', () => {
  it('reads tensor_content as little-endian values', () => {
    const content = Buffer.alloc(12);
    [1.5, -2, 3.25].forEach((v, i) => content.writeFloatLE(v, i * 4));
    const c = constantFromTensorProto(decoded({ dtype: 'DT_FLOAT', tensorShape: shape(3), tensorContent: content }), 'w');
    expect(c.dtype).to.equal('float32');
    expect(Array.from(c.values as Float32Array)).to.deep.equal([1.5, -2, 3.25]);
  });

  it('fills the shape with the last value when fewer are given (a splat)', () => {
    const c = constantFromTensorProto(decoded({ dtype: 'DT_FLOAT', tensorShape: shape(2, 3), floatVal: [2.5] }), 'splat');
    expect(c.shape).to.deep.equal([2, 3]);
    expect(Array.from(c.values as Float32Array)).to.deep.equal([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    const ints = constantFromTensorProto(decoded({ dtype: 'DT_INT32', tensorShape: shape(4), intVal: [7, 8] }), 'ints');
    expect(Array.from(ints.values as Int32Array)).to.deep.equal([7, 8, 8, 8]);
  });

  it('reads half_val as float16 bits, int64_val as BigInt64Array, bool_val and string_val', () => {
    const half = constantFromTensorProto(decoded({ dtype: 'DT_HALF', tensorShape: shape(2), halfVal: [0x3c00, 0xc000] }), 'h');
    expect(half.dtype).to.equal('float16');
    expect(Array.from(half.values as Uint16Array)).to.deep.equal([0x3c00, 0xc000]); // 1.0, -2.0
    const big = constantFromTensorProto(decoded({ dtype: 'DT_INT64', tensorShape: shape(2), int64Val: ['-5', '9007199254740993'] }), 'i64');
    expect(Array.from(big.values as BigInt64Array)).to.deep.equal([-5n, 9007199254740993n]);
    const bools = constantFromTensorProto(decoded({ dtype: 'DT_BOOL', tensorShape: shape(3), boolVal: [true, false] }), 'b');
    expect(Array.from(bools.values as Uint8Array)).to.deep.equal([1, 0, 0]);
    const strings = constantFromTensorProto(decoded({ dtype: 'DT_STRING', tensorShape: shape(2), stringVal: [Buffer.from('dense/bias'), Buffer.from('k')] }), 's');
    expect((strings.values as Uint8Array[]).map((b) => Buffer.from(b).toString())).to.deep.equal(['dense/bias', 'k']);
  });

  it('gives zeros when no value is written, and a scalar for an empty shape', () => {
    const zeros = constantFromTensorProto(decoded({ dtype: 'DT_INT32', tensorShape: shape(3) }), 'z');
    expect(Array.from(zeros.values as Int32Array)).to.deep.equal([0, 0, 0]);
    const scalar = constantFromTensorProto(decoded({ dtype: 'DT_FLOAT', tensorShape: {}, floatVal: [4] }), 'one');
    expect(scalar.shape).to.deep.equal([]);
    expect(Array.from(scalar.values as Float32Array)).to.deep.equal([4]);
  });

  it('refuses tensor_content of the wrong length, naming the constant', () => {
    expect(() => constantFromTensorProto(decoded({ dtype: 'DT_FLOAT', tensorShape: shape(3), tensorContent: Buffer.alloc(8) }), 'short'))
      .to.throw(/tensor_content of "short" has 8 bytes; a float32 tensor of 3 values needs 12/);
  });
});
