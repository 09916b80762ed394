import { Builder } from 'flatbuffers';
import { TFLITE_FILE_IDENTIFIER, TFLITE_SCHEMA_VERSION } from './enums.js';
import { intVector, writeBuiltinOptions } from './options.js';
import type { MetadataSpec, ModelSpec, OperatorCodeSpec, OperatorSpec, QuantizationSpec, SignatureDefSpec, SubGraphSpec, TensorSpec } from './model-spec.js';

// Tables are written children first (flatbuffers builds back to front); `slot` numbers are the
// field positions in schema.fbs, deprecated fields included.

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function floatVector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
  return b.endVector();
}

function longVector(b: Builder, values: readonly number[]): number {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]!));
  return b.endVector();
}

/** Buffer.data is `[ubyte] (force_align: 16)`: weights must start on 16 bytes for mmap and SIMD. */
function alignedByteVector(b: Builder, bytes: Uint8Array): number {
  b.startVector(1, bytes.length, 16);
  b.pad(bytes.length);
  const bb = b.dataBuffer();
  bb.bytes().set(bytes, bb.capacity() - b.offset());
  return b.endVector();
}

function writeBuffer(b: Builder, data: Uint8Array | undefined): number {
  const dataOffset = data && data.length ? alignedByteVector(b, data) : 0;
  b.startObject(3);
  if (dataOffset) b.addFieldOffset(0, dataOffset, 0);
  return b.endObject();
}

function writeQuantization(b: Builder, q: QuantizationSpec): number {
  const min = q.min ? floatVector(b, q.min) : 0;
  const max = q.max ? floatVector(b, q.max) : 0;
  const scale = floatVector(b, q.scale);
  const zeroPoint = longVector(b, q.zeroPoint);
  b.startObject(7);
  if (min) b.addFieldOffset(0, min, 0);
  if (max) b.addFieldOffset(1, max, 0);
  b.addFieldOffset(2, scale, 0);
  b.addFieldOffset(3, zeroPoint, 0);
  b.addFieldInt32(6, q.quantizedDimension ?? 0, 0);
  return b.endObject();
}

function writeTensor(b: Builder, t: TensorSpec): number {
  const shape = intVector(b, t.shape);
  const name = b.createString(t.name);
  const quantization = t.quantization ? writeQuantization(b, t.quantization) : 0;
  const signature = t.shapeSignature ? intVector(b, t.shapeSignature) : 0;
  b.startObject(9);
  b.addFieldOffset(0, shape, 0);
  b.addFieldInt8(1, t.type, 0);
  b.addFieldInt32(2, t.buffer, 0);
  b.addFieldOffset(3, name, 0);
  if (quantization) b.addFieldOffset(4, quantization, 0);
  if (signature) b.addFieldOffset(7, signature, 0);
  b.addFieldInt8(8, 1, 0); // has_rank: a [] shape is a scalar, not an unknown rank
  return b.endObject();
}

function writeOperator(b: Builder, op: OperatorSpec): number {
  const inputs = intVector(b, op.inputs);
  const outputs = intVector(b, op.outputs);
  const opts = op.options ? writeBuiltinOptions(b, op.options) : undefined;
  b.startObject(5);
  b.addFieldInt32(0, op.opcodeIndex, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  if (opts) {
    b.addFieldInt8(3, opts.type, 0); // builtin_options_type (the union's tag)
    b.addFieldOffset(4, opts.offset, 0);
  }
  return b.endObject();
}

function writeSubGraph(b: Builder, g: SubGraphSpec): number {
  const tensors = offsetVector(b, g.tensors.map((t) => writeTensor(b, t)));
  const inputs = intVector(b, g.inputs);
  const outputs = intVector(b, g.outputs);
  const operators = offsetVector(b, g.operators.map((op) => writeOperator(b, op)));
  const name = b.createString(g.name);
  b.startObject(5);
  b.addFieldOffset(0, tensors, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, operators, 0);
  b.addFieldOffset(4, name, 0);
  return b.endObject();
}

function writeOperatorCode(b: Builder, code: OperatorCodeSpec): number {
  b.startObject(4);
  // Readers take max(deprecated_builtin_code, builtin_code): old ones only know the byte.
  b.addFieldInt8(0, Math.min(code.builtinCode, 127), 0);
  b.addFieldInt32(2, code.version, 1);
  b.addFieldInt32(3, code.builtinCode, 0);
  return b.endObject();
}

function writeTensorMaps(b: Builder, maps: SignatureDefSpec['inputs']): number {
  return offsetVector(b, maps.map((m) => {
    const name = b.createString(m.name);
    b.startObject(2);
    b.addFieldOffset(0, name, 0);
    b.addFieldInt32(1, m.tensorIndex, 0);
    return b.endObject();
  }));
}

function writeSignatureDef(b: Builder, s: SignatureDefSpec): number {
  const inputs = writeTensorMaps(b, s.inputs);
  const outputs = writeTensorMaps(b, s.outputs);
  const key = b.createString(s.signatureKey);
  b.startObject(5);
  b.addFieldOffset(0, inputs, 0);
  b.addFieldOffset(1, outputs, 0);
  b.addFieldOffset(2, key, 0);
  b.addFieldInt32(4, s.subgraphIndex, 0);
  return b.endObject();
}

function writeMetadata(b: Builder, m: MetadataSpec): number {
  const name = b.createString(m.name);
  b.startObject(2);
  b.addFieldOffset(0, name, 0);
  b.addFieldInt32(1, m.buffer, 0);
  return b.endObject();
}

/** The .tflite bytes of a model: schema version 3, file identifier "TFL3". */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const dataBytes = spec.buffers.reduce((n, d) => n + (d?.length ?? 0) + 16, 0);
  const b = new Builder(dataBytes + 1024 * 1024);
  // Buffers first: they are the bulk, and writing them early keeps the tables near the header.
  const buffers = offsetVector(b, spec.buffers.map((d) => writeBuffer(b, d)));
  const subgraphs = offsetVector(b, spec.subgraphs.map((g) => writeSubGraph(b, g)));
  const operatorCodes = offsetVector(b, spec.operatorCodes.map((c) => writeOperatorCode(b, c)));
  const signatureDefs = offsetVector(b, spec.signatureDefs.map((s) => writeSignatureDef(b, s)));
  const metadata = offsetVector(b, spec.metadata.map((m) => writeMetadata(b, m)));
  const description = b.createString(spec.description);
  b.startObject(8);
  b.addFieldInt32(0, TFLITE_SCHEMA_VERSION, 0);
  b.addFieldOffset(1, operatorCodes, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffers, 0);
  b.addFieldOffset(6, metadata, 0);
  b.addFieldOffset(7, signatureDefs, 0);
  b.finish(b.endObject(), TFLITE_FILE_IDENTIFIER);
  return b.asUint8Array();
}
