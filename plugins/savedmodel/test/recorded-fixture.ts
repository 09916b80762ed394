import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DType, TensorData, TypedArray } from '@modelport/core';

/** test/fixtures, from the compiled test (dist/test). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

interface RecordedTensor { name: string; dtype: DType; shape: number[]; file: string }

/** A fixture's inputs and TensorFlow's outputs for them (index.json and the raw .bin files). */
export interface RecordedRun {
  readonly signature: string;
  readonly inputs: Record<string, TensorData>;
  readonly outputs: Record<string, TensorData>;
}

function typed(dtype: DType, bytes: Buffer): TypedArray {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  switch (dtype) {
    case 'float32': return new Float32Array(buffer);
    case 'int32': return new Int32Array(buffer);
    case 'int64': return new BigInt64Array(buffer);
    default: throw new Error(`fixture dtype ${dtype} is not read by the tests`);
  }
}

export function recordedRun(fixture: string): RecordedRun {
  const dir = `${FIXTURES_DIR}${fixture}/`;
  const index = JSON.parse(readFileSync(`${dir}index.json`, 'utf8')) as { signature: string; inputs: RecordedTensor[]; outputs: RecordedTensor[] };
  const load = (tensors: RecordedTensor[]) => Object.fromEntries(tensors.map((t) => [t.name, { dtype: t.dtype, shape: t.shape, data: typed(t.dtype, readFileSync(dir + t.file)) }]));
  return { signature: index.signature, inputs: load(index.inputs), outputs: load(index.outputs) };
}

/** max |actual − expected| / max |expected|. */
export function maxRelativeDiff(actual: TensorData, expected: TensorData): { abs: number; rel: number } {
  const a = actual.data as ArrayLike<number>, e = expected.data as ArrayLike<number>;
  let abs = 0, ref = 0;
  for (let i = 0; i < e.length; i++) { abs = Math.max(abs, Math.abs(Number(a[i]) - Number(e[i]))); ref = Math.max(ref, Math.abs(Number(e[i]))); }
  return { abs, rel: ref > 0 ? abs / ref : abs };
}
