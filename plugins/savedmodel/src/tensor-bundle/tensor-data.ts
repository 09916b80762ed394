import { allocValues, bytesPerElement, sizeOfShape, type ConstantTensor, type DType, type TypedArray } from '@modelport/core';
import { crc32cExtend, maskCrc32c, unmaskCrc32c } from './crc32c.js';

/**
 * One tensor's bytes in a bundle's data file, as tensor_bundle.cc writes them: numbers as their
 * little-endian memory image; strings as the varint64 length of every element, a masked checksum
 * of the lengths, then the elements' bytes.
 */
export interface EncodedTensorData {
  /** Pieces to append in order; numeric tensors are a view of their values, not a copy. */
  readonly chunks: readonly Uint8Array[];
  readonly size: number;
  /** Unmasked CRC-32C of what TensorFlow checksums (for strings: lengths as uint32, not as varints). */
  readonly crc32c: number;
}

/** A reason the tensor's values cannot be stored; the caller names the tensor. */
export class TensorDataError extends Error {}

function bytesOf(values: TypedArray): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function uint32Bytes(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function varint64(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
  return out;
}

export function encodeTensorData(tensor: ConstantTensor): EncodedTensorData {
  const count = sizeOfShape(tensor.shape);
  if (tensor.dtype === 'string') {
    const strings = tensor.values;
    if (!Array.isArray(strings)) throw new TensorDataError('a string tensor needs its values as an array of byte arrays');
    if (strings.length !== count) throw new TensorDataError(`shape [${tensor.shape}] holds ${count} strings but ${strings.length} are given`);
    const lengths: number[] = [];
    let crc = 0;
    for (const s of strings) {
      lengths.push(...varint64(s.length));
      crc = crc32cExtend(crc, uint32Bytes(s.length));
    }
    const lengthChecksum = uint32Bytes(maskCrc32c(crc));
    crc = crc32cExtend(crc, lengthChecksum);
    let size = lengths.length + 4;
    for (const s of strings) { crc = crc32cExtend(crc, s); size += s.length; }
    return { chunks: [Uint8Array.from(lengths), lengthChecksum, ...strings], size, crc32c: crc };
  }
  if (Array.isArray(tensor.values)) throw new TensorDataError(`a ${tensor.dtype} tensor needs a typed array of values`);
  const bytes = bytesOf(tensor.values);
  const expected = count * bytesPerElement(tensor.dtype);
  if (bytes.length !== expected) {
    throw new TensorDataError(`shape [${tensor.shape}] of ${tensor.dtype} needs ${expected} bytes but its values hold ${bytes.length}`);
  }
  return { chunks: [bytes], size: bytes.length, crc32c: crc32cExtend(0, bytes) };
}

type TypedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

/** The bytes as the IR's typed array for `dtype`: a view when aligned (no second copy of big weights). */
function valuesOf(dtype: DType, bytes: Uint8Array): TypedArray {
  const empty = allocValues(dtype, 0);
  const width = empty.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % width === 0) {
    return new (empty.constructor as TypedArrayConstructor)(bytes.buffer, bytes.byteOffset, bytes.length / width);
  }
  const values = allocValues(dtype, bytes.length / bytesPerElement(dtype));
  bytesOf(values).set(bytes);
  return values;
}

/**
 * The values of a tensor from its bytes in the data file (the values may be a view of `bytes`).
 * Throws TensorDataError when the bytes do not match the entry's size or checksum.
 */
export function decodeTensorData(dtype: DType, shape: readonly number[], bytes: Uint8Array, storedCrc: number): ConstantTensor {
  const count = sizeOfShape(shape);
  if (dtype === 'string') return { dtype, shape, values: decodeStrings(count, bytes, storedCrc) };
  const expected = count * bytesPerElement(dtype);
  if (bytes.length !== expected) {
    throw new TensorDataError(`its entry gives ${bytes.length} bytes but shape [${shape}] of ${dtype} needs ${expected}`);
  }
  const crc = crc32cExtend(0, bytes);
  if (maskCrc32c(crc) !== storedCrc) throw new TensorDataError('its bytes fail their checksum');
  return { dtype, shape, values: valuesOf(dtype, bytes) };
}

function decodeStrings(count: number, bytes: Uint8Array, storedCrc: number): Uint8Array[] {
  // TensorFlow reads an entry of size 0 as empty strings, without a length checksum.
  if (bytes.length === 0) return Array.from({ length: count }, () => new Uint8Array(0));
  let at = 0;
  let crc = 0;
  const lengths: number[] = [];
  for (let i = 0; i < count; i++) {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new TensorDataError('its string lengths run past its bytes');
      const b = bytes[at++];
      n += (b & 0x7f) * scale;
      scale *= 0x80;
      if (b < 0x80) break;
    }
    lengths.push(n);
    crc = crc32cExtend(crc, uint32Bytes(n));
  }
  if (at + 4 > bytes.length) throw new TensorDataError('its string lengths run past its bytes');
  const lengthChecksum = bytes.subarray(at, at + 4);
  if (unmaskCrc32c(new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true)) !== crc) {
    throw new TensorDataError('its string lengths fail their checksum');
  }
  crc = crc32cExtend(crc, lengthChecksum);
  at += 4;
  const strings: Uint8Array[] = [];
  for (const n of lengths) {
    if (at + n > bytes.length) throw new TensorDataError('its strings run past its bytes');
    const s = bytes.slice(at, at + n);
    crc = crc32cExtend(crc, s);
    strings.push(s);
    at += n;
  }
  if (at !== bytes.length) throw new TensorDataError(`its entry gives ${bytes.length} bytes but its strings fill ${at}`);
  if (maskCrc32c(crc) !== storedCrc) throw new TensorDataError('its bytes fail their checksum');
  return strings;
}
