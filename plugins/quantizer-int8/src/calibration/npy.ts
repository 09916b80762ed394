import { OptionsError, sizeOfShape, type TensorData } from '@modelport/core';

const MAGIC = '\x93NUMPY';

/** The numpy dtypes read, little-endian ('|' for one byte). */
const DESCRS: Readonly<Record<string, { dtype: 'float32' | 'int32' | 'uint8'; bytes: number }>> = {
  '<f4': { dtype: 'float32', bytes: 4 },
  '<i4': { dtype: 'int32', bytes: 4 },
  '|u1': { dtype: 'uint8', bytes: 1 },
  '<u1': { dtype: 'uint8', bytes: 1 },
};

/**
 * A tensor of a .npy file (format versions 1–3): float32, int32 or uint8, C order. The header is a
 * Python dict literal; its three keys are read with patterns rather than a Python parser.
 */
export function readNpy(bytes: Uint8Array, file: string): TensorData {
  const fail = (why: string) => new OptionsError(`not a .npy file numpy writes: ${why}`, { file });
  if (bytes.length < 10 || String.fromCharCode(...bytes.subarray(0, 6)) !== MAGIC) throw fail('no \\x93NUMPY magic');
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw fail(`format version ${major} is unknown`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw fail('the header runs past the end of the file');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw fail(`header "${header.trim()}" lacks descr, fortran_order or shape`);
  const kind = DESCRS[descr];
  if (!kind) throw new OptionsError(`dtype "${descr}" is not read (float32 "<f4", int32 "<i4", uint8 "|u1")`, { file });
  if (fortran === 'True') throw new OptionsError('Fortran order is not read: save the array in C order (np.ascontiguousarray)', { file });
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw fail(`shape (${shapeText}) is not a tuple of sizes`);

  const size = sizeOfShape(shape);
  const expected = size * kind.bytes;
  if (bytes.length - dataStart !== expected) {
    throw fail(`shape [${shape}] of ${descr} needs ${expected} bytes of data, the file has ${bytes.length - dataStart}`);
  }
  // Copied so that the typed array is aligned whatever the header length (and owns its memory: a Buffer's slice shares the pool).
  const copy = new Uint8Array(expected);
  copy.set(bytes.subarray(dataStart, dataStart + expected));
  const buffer = copy.buffer;
  const data = kind.dtype === 'float32' ? new Float32Array(buffer) : kind.dtype === 'int32' ? new Int32Array(buffer) : new Uint8Array(buffer);
  return { dtype: kind.dtype, shape, data };
}

/** A .npy file of `tensor` (version 1), for tests and tools that write samples. */
export function writeNpy(tensor: { dtype: 'float32' | 'int32' | 'uint8'; shape: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const descr = { float32: '<f4', int32: '<i4', uint8: '|u1' }[tensor.dtype];
  const shape = tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // The data starts on a multiple of 64 bytes, the header ends with a newline.
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const typed = tensor.dtype === 'float32' ? Float32Array.from(tensor.data) : tensor.dtype === 'int32' ? Int32Array.from(tensor.data) : Uint8Array.from(tensor.data);
  const out = new Uint8Array(10 + header.length + typed.byteLength);
  out.set([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), 10 + header.length);
  return out;
}
