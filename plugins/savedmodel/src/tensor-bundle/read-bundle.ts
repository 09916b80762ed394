import { open, readFile, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { ModelLoadError, type ConstantTensor } from '@modelport/core';
import { bundleDataFile, bundleIndexFile } from './bundle-files.js';
import { decodeBundleIndex, type BundleEntry } from './bundle-index.js';
import { decodeTensorData, TensorDataError } from './tensor-data.js';

/** Reads `size` bytes at `offset` of one data shard; `fileName` names the shard in errors. */
interface ShardSource {
  readonly fileName: string;
  readonly length: number;
  read(offset: number, size: number): Promise<Uint8Array>;
}

async function decodeEntries(index: Uint8Array, indexName: string, shard: (id: number, numShards: number) => Promise<ShardSource>): Promise<Map<string, ConstantTensor>> {
  const { numShards, entries } = decodeBundleIndex(index, indexName);
  // Data order, so that writing the tensors back lays them out as they were.
  const ordered = [...entries].sort((a, b) => a.shardId - b.shardId || a.offset - b.offset);
  const shards = new Map<number, ShardSource>();
  const tensors = new Map<string, ConstantTensor>();
  for (const entry of ordered) {
    let source = shards.get(entry.shardId);
    if (!source) shards.set(entry.shardId, source = await shard(entry.shardId, numShards));
    tensors.set(entry.key, await readEntry(entry, source));
  }
  return tensors;
}

async function readEntry(entry: BundleEntry, source: ShardSource): Promise<ConstantTensor> {
  const fail = (what: string): never => {
    throw new ModelLoadError(`tensor "${entry.key}": ${what}`, { file: source.fileName });
  };
  if (entry.offset + entry.size > source.length) {
    fail(`its ${entry.size} bytes at offset ${entry.offset} lie beyond the end of the file (${source.length} bytes); the file is truncated`);
  }
  const bytes = await source.read(entry.offset, entry.size);
  try {
    return decodeTensorData(entry.dtype, entry.shape, bytes, entry.crc32c);
  } catch (e) {
    if (e instanceof TensorDataError) fail(e.message);
    throw e;
  }
}

/**
 * The tensors of the bundle at `prefix` (`<dir>/variables/variables`), in the order of their data.
 * A missing, truncated or corrupt file, a checksum or size mismatch, a sliced entry or a
 * big-endian bundle is a ModelLoadError naming the file and the tensor.
 */
export async function readTensorBundle(prefix: string): Promise<Map<string, ConstantTensor>> {
  const indexPath = bundleIndexFile(prefix);
  const index = await readFile(indexPath).catch((e: NodeJS.ErrnoException) => {
    throw new ModelLoadError(`cannot be read (${e.code ?? e.message})`, { file: indexPath }, { cause: e });
  });
  const handles: FileHandle[] = [];
  try {
    return await decodeEntries(index, indexPath, async (id, numShards) => {
      const path = bundleDataFile(prefix, id, numShards);
      const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
        throw new ModelLoadError(`cannot be read (${e.code ?? e.message})`, { file: path }, { cause: e });
      });
      handles.push(handle);
      const { size: length } = await handle.stat();
      return {
        fileName: path,
        length,
        async read(offset, size) {
          const bytes = new Uint8Array(size);
          // a read may stop short (a system call reads at most about 2 GB)
          for (let done = 0; done < size;) {
            const { bytesRead } = await handle.read(bytes, done, size - done, offset + done);
            if (bytesRead === 0) throw new ModelLoadError(`ends after ${offset + done} bytes, inside a tensor`, { file: path });
            done += bytesRead;
          }
          return bytes;
        },
      };
    });
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
}

/** The tensors of a one-shard bundle held in memory (the bytes of its index and data files). */
export async function decodeTensorBundle(index: Uint8Array, data: Uint8Array): Promise<Map<string, ConstantTensor>> {
  const dataName = basename(bundleDataFile('variables'));
  return decodeEntries(index, basename(bundleIndexFile('variables')), async () => ({
    fileName: dataName,
    length: data.length,
    // a copy: the tensors must not alias the caller's buffer
    read: async (offset, size) => data.slice(offset, offset + size),
  }));
}
