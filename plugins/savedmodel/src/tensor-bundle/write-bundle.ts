import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GraphError, type ConstantTensor } from '@modelport/core';
import { bundleDataFile, bundleIndexFile } from './bundle-files.js';
import { encodeBundleIndex, type BundleEntry } from './bundle-index.js';
import { maskCrc32c } from './crc32c.js';
import { encodeTensorData, TensorDataError, type EncodedTensorData } from './tensor-data.js';

export type NamedTensors = ReadonlyMap<string, ConstantTensor> | Iterable<readonly [string, ConstantTensor]>;

/**
 * Lays tensors out as BundleWriter does: data in the order given (TensorFlow's Add order; a
 * bundle read by readTensorBundle comes back in that order), the index sorted by key.
 */
function* layOut(tensors: NamedTensors, entries: BundleEntry[]): Generator<EncodedTensorData> {
  const seen = new Set<string>();
  let offset = 0;
  for (const [key, tensor] of tensors) {
    if (key === '') throw new GraphError('a tensor bundle cannot hold a tensor named "" (the key of its header)');
    if (seen.has(key)) throw new GraphError(`tensor bundle: tensor "${key}" is given twice`);
    seen.add(key);
    let data: EncodedTensorData;
    try {
      data = encodeTensorData(tensor);
    } catch (e) {
      if (e instanceof TensorDataError) throw new GraphError(`tensor bundle: tensor "${key}": ${e.message}`, { node: key });
      throw e;
    }
    entries.push({ key, dtype: tensor.dtype, shape: tensor.shape, shardId: 0, offset, size: data.size, crc32c: maskCrc32c(data.crc32c) });
    offset += data.size;
    yield data;
  }
}

/** The index and data file bytes of a one-shard bundle, in memory (for small bundles and tests). */
export function encodeTensorBundle(tensors: NamedTensors): { index: Uint8Array; data: Uint8Array } {
  const entries: BundleEntry[] = [];
  const chunks = [...layOut(tensors, entries)].flatMap((d) => d.chunks);
  return { index: encodeBundleIndex(entries), data: Buffer.concat(chunks) };
}

/** Small pieces are gathered into writes of about this size, as TensorFlow's 8 MB output buffer does. */
const WRITE_BATCH_BYTES = 8 << 20;

function temporaryName(path: string): string {
  return `${path}.tempstate${randomBytes(8).toString('hex')}`;
}

/** writev may stop short (a system call writes at most about 2 GB); go on until all is written. */
async function writeAll(file: FileHandle, chunks: Uint8Array[]): Promise<void> {
  let rest = chunks;
  while (rest.length) {
    let { bytesWritten } = await file.writev(rest);
    while (rest.length && bytesWritten >= rest[0].length) { bytesWritten -= rest[0].length; rest = rest.slice(1); }
    if (rest.length && bytesWritten > 0) rest = [rest[0].subarray(bytesWritten), ...rest.slice(1)];
  }
}

async function writeChunks(file: FileHandle, source: Iterable<EncodedTensorData>): Promise<number> {
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let total = 0;
  for (const data of source) {
    for (const chunk of data.chunks) {
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BATCH_BYTES) {
        await writeAll(file, batch);
        total += batchBytes;
        batch = [];
        batchBytes = 0;
      }
    }
  }
  await writeAll(file, batch);
  return total + batchBytes;
}

/**
 * Writes a one-shard tensor bundle at `prefix` (e.g. `<dir>/variables/variables`): the data file
 * streamed tensor by tensor, then the index; each written under a temporary name and renamed,
 * so a reader never sees half a file.
 */
export async function writeTensorBundle(prefix: string, tensors: NamedTensors): Promise<{ files: string[]; bytes: number }> {
  const dataPath = bundleDataFile(prefix);
  const indexPath = bundleIndexFile(prefix);
  await mkdir(dirname(prefix), { recursive: true });
  const entries: BundleEntry[] = [];
  const dataTemp = temporaryName(dataPath);
  const indexTemp = temporaryName(indexPath);
  try {
    const file = await open(dataTemp, 'w');
    let dataBytes: number;
    try {
      dataBytes = await writeChunks(file, layOut(tensors, entries));
    } finally {
      await file.close();
    }
    const index = encodeBundleIndex(entries);
    await writeFile(indexTemp, index);
    await rename(dataTemp, dataPath);
    await rename(indexTemp, indexPath);
    return { files: [indexPath, dataPath], bytes: dataBytes + index.length };
  } catch (e) {
    await rm(dataTemp, { force: true });
    await rm(indexTemp, { force: true });
    throw e;
  }
}
