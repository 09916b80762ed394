import { allocValues, dtypeFromTf, isKnownDType, ModelLoadError, shapeFromTfjsJson, sizeOfShape, type ConstantTensor, type DType, type TensorValues, type TfjsTensorShapeJson, type TypedArray } from '@modelport/core';

/**
 * A TensorProto as protobufjs's toObject gives it with { longs: String, enums: String, bytes: String }:
 * camelCase fields, int64 as decimal strings, bytes as base64.
 */
export interface TensorProtoObject {
  dtype?: string;
  tensorShape?: TfjsTensorShapeJson;
  tensorContent?: string;
  halfVal?: number[];
  floatVal?: (number | string)[];
  doubleVal?: (number | string)[];
  intVal?: number[];
  stringVal?: string[];
  scomplexVal?: (number | string)[];
  int64Val?: string[];
  boolVal?: boolean[];
  uint32Val?: number[];
  uint64Val?: string[];
}

/** Which repeated field holds the values of each dtype when tensor_content is empty. */
function typedValues(proto: TensorProtoObject, dtype: DType): readonly (number | bigint | boolean)[] {
  switch (dtype) {
    case 'float32': return (proto.floatVal ?? []).map(Number);
    case 'float64': return (proto.doubleVal ?? []).map(Number);
    case 'float16': return proto.halfVal ?? [];
    case 'complex64': return (proto.scomplexVal ?? []).map(Number);
    case 'int64': return (proto.int64Val ?? []).map((v) => BigInt(v));
    case 'uint32': return proto.uint32Val ?? [];
    case 'bool': return proto.boolVal ?? [];
    default: return proto.intVal ?? []; // int32, int16, int8, uint8, uint16 all travel in int_val
  }
}

function fromContent(bytes: Buffer, dtype: DType, size: number, name: string): TypedArray {
  const values = allocValues(dtype, size);
  if (bytes.byteLength !== values.byteLength) {
    throw new ModelLoadError(`tensor_content of "${name}" has ${bytes.byteLength} bytes; a ${dtype} tensor of ${size} values needs ${values.byteLength}`, { node: name, op: 'Const' });
  }
  new Uint8Array(values.buffer).set(bytes); // a copy: typed arrays need aligned, owned memory
  return values;
}

/**
 * A TensorProto's value as the IR holds it. Values come from tensor_content (raw little-endian
 * bytes) or else the typed field; fewer values than the shape holds are padded with the last one,
 * as TensorFlow reads them (a splat constant is written as a single value).
 */
export function constantFromTensorProto(proto: TensorProtoObject, name: string): ConstantTensor {
  const tfType = proto.dtype ?? 'DT_FLOAT';
  const dtype = dtypeFromTf(tfType);
  if (!isKnownDType(dtype)) throw new ModelLoadError(`constant "${name}" has type ${tfType}, which the Graph IR cannot hold`, { node: name, op: 'Const' });
  const shape = shapeFromTfjsJson(proto.tensorShape);
  if (shape === null || shape.some((d) => d < 0)) throw new ModelLoadError(`constant "${name}" has no static shape`, { node: name, op: 'Const' });
  const size = sizeOfShape(shape);

  if (dtype === 'string') {
    const strings = (proto.stringVal ?? []).map((s) => new Uint8Array(Buffer.from(s, 'base64')));
    return { dtype, shape, values: padStrings(strings, size, name) };
  }
  if (proto.tensorContent) return { dtype, shape, values: fromContent(Buffer.from(proto.tensorContent, 'base64'), dtype, size, name) };

  const given = typedValues(proto, dtype);
  const perValue = dtype === 'complex64' ? 2 : 1;
  if (given.length > size * perValue) throw new ModelLoadError(`constant "${name}" has ${given.length} values for shape [${shape.join(', ')}]`, { node: name, op: 'Const' });
  const values = allocValues(dtype, size);
  fillRepeatingLast(values, given, perValue);
  return { dtype, shape, values };
}

function fillRepeatingLast(values: TypedArray, given: readonly (number | bigint | boolean)[], perValue: number): void {
  if (!given.length) return; // no values: zeros
  const target = values as unknown as { [i: number]: number | bigint; length: number };
  const asElement = (v: number | bigint | boolean) => (typeof v === 'boolean' ? Number(v) : v);
  for (let i = 0; i < given.length; i++) target[i] = asElement(given[i]!);
  const last = given.slice(given.length - perValue).map(asElement);
  for (let i = given.length; i < values.length; i++) target[i] = last[(i - given.length) % perValue]!;
}

function padStrings(strings: Uint8Array[], size: number, name: string): TensorValues {
  if (strings.length > size) throw new ModelLoadError(`constant "${name}" has ${strings.length} strings for ${size} elements`, { node: name, op: 'Const' });
  const last = strings[strings.length - 1] ?? new Uint8Array(0);
  while (strings.length < size) strings.push(last);
  return strings;
}
