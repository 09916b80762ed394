import { expect } from 'chai';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelLoadError } from '@modelport/core';
import { bundleDataFile, bundleIndexFile, decodeBundleIndex, encodeBundleIndex, encodeTable, messageType, readTensorBundle } from '../src/index.js';
import { fixturePrefix, temporaryDirectory } from './bundle-fixtures.js';

type Damage = (files: { index: Buffer; data: Buffer }) => { index?: Uint8Array; data?: Uint8Array };

/** Reads a copy of `fixture`'s bundle after `damage`, and returns the error it gives. */
async function readDamaged(fixture: string, damage: Damage): Promise<ModelLoadError> {
  const { dir, remove } = await temporaryDirectory();
  try {
    const src = fixturePrefix(fixture);
    const prefix = join(dir, 'variables', 'variables');
    await mkdir(join(dir, 'variables'));
    const files = { index: await readFile(bundleIndexFile(src)), data: await readFile(bundleDataFile(src)) };
    const changed = damage(files);
    await writeFile(bundleIndexFile(prefix), changed.index ?? files.index);
    await writeFile(bundleDataFile(prefix), changed.data ?? files.data);
    let error: unknown;
    await readTensorBundle(prefix).then(() => { error = undefined; }, (e: unknown) => { error = e; });
    expect(error, 'reading fails').to.be.instanceOf(ModelLoadError);
    return error as ModelLoadError;
  } finally {
    await remove();
  }
}

const flip = (bytes: Buffer, at: number): Buffer => { const copy = Buffer.from(bytes); copy[at] ^= 0x10; return copy; };

/** An index whose one tensor entry is the given BundleEntryProto fields (and header fields). */
function indexWith(entry: Record<string, unknown>, header: Record<string, unknown> = { numShards: 1, version: { producer: 1 } }): Uint8Array {
  const h = messageType('BundleHeaderProto');
  const e = messageType('BundleEntryProto');
  return encodeTable([
    [new Uint8Array(0), h.encode(h.fromObject(header)).finish()],
    [new TextEncoder().encode('dense/kernel'), e.encode(e.fromObject(entry)).finish()],
  ]);
}

describe('tensor bundle: damaged files', () => {
  it('a flipped byte in the index\'s data block fails its checksum', async () => {
    const e = await readDamaged('tf1-variables-mlp', ({ index }) => ({ index: flip(index, 20) }));
    expect(e.message).to.include('variables.index": block at offset 0 fails its checksum');
    expect(e.file).to.match(/variables\.index$/);
  });

  it('a flipped byte in the index block fails its checksum', async () => {
    // the index block of tf1-variables-mlp starts at offset 93 (its footer says so)
    const e = await readDamaged('tf1-variables-mlp', ({ index }) => ({ index: flip(index, 95) }));
    expect(e.message).to.include('variables.index": index block at offset 93 fails its checksum');
  });

  it('a cut-off footer is a truncated index', async () => {
    const e = await readDamaged('tf1-variables-mlp', ({ index }) => ({ index: index.subarray(0, index.length - 20) }));
    expect(e.message).to.match(/variables\.index": the footer lacks the table magic number; the file is truncated/);
    const tiny = await readDamaged('tf1-variables-mlp', ({ index }) => ({ index: index.subarray(0, 30) }));
    expect(tiny.message).to.include('variables.index": 30 bytes is shorter than a table footer');
  });

  it('a wrong magic number is refused', async () => {
    const e = await readDamaged('tf2-module-two-signatures', ({ index }) => ({ index: flip(index, index.length - 1) }));
    expect(e.message).to.include('variables.index": the footer lacks the table magic number');
  });

  it('a flipped byte in the data fails the tensor\'s checksum, naming the file and the tensor', async () => {
    // dense/kernel's 60 bytes start at offset 12
    const e = await readDamaged('tf1-variables-mlp', ({ data }) => ({ data: flip(data, 40) }));
    expect(e.message).to.include('variables.data-00000-of-00001": tensor "dense/kernel": its bytes fail their checksum');
    expect(e.file).to.match(/variables\.data-00000-of-00001$/);
  });

  it('a flipped string length fails the length checksum of the object graph', async () => {
    // the object graph's string tensor starts at offset 112 with its varint length
    const e = await readDamaged('tf2-module-two-signatures', ({ data }) => ({ data: flip(data, 112) }));
    expect(e.message).to.match(/tensor "_CHECKPOINTABLE_OBJECT_GRAPH": its string lengths (fail their checksum|run past its bytes)/);
  });

  it('a cut-off data file names the tensor that lies beyond its end', async () => {
    const e = await readDamaged('tf1-variables-mlp', ({ data }) => ({ data: data.subarray(0, 50) }));
    expect(e.message).to.include('variables.data-00000-of-00001": tensor "dense/kernel": its 60 bytes at offset 12 lie beyond the end of the file (50 bytes); the file is truncated');
  });

  it('an entry whose size does not match its shape is refused', async () => {
    const e = await readDamaged('tf1-variables-mlp', ({ index }) => {
      const { entries } = decodeBundleIndex(index, 'variables.index');
      return { index: encodeBundleIndex(entries.map((x) => (x.key === 'dense/bias' ? { ...x, size: 8 } : x))) };
    });
    expect(e.message).to.include('tensor "dense/bias": its entry gives 8 bytes but shape [3] of float32 needs 12');
  });

  it('a sliced (partitioned) variable is refused by name', async () => {
    const e = await readDamaged('tf1-variables-mlp', () => ({
      index: indexWith({ dtype: 'DT_FLOAT', shape: { dim: [{ size: 5 }, { size: 3 }] }, slices: [{ extent: [{ start: 0, length: 2 }, {}] }] }),
    }));
    expect(e.message).to.include('variables.index": tensor "dense/kernel": it is saved in slices (a partitioned variable)');
  });

  it('a big-endian bundle is refused', async () => {
    const e = await readDamaged('tf1-variables-mlp', () => ({
      index: indexWith({ dtype: 'DT_FLOAT', shape: { dim: [{ size: 5 }, { size: 3 }] }, size: 60 }, { numShards: 1, endianness: 'BIG', version: { producer: 1 } }),
    }));
    expect(e.message).to.include('variables.index": the bundle was written big-endian');
  });

  it('a tensor of a type with no tensor form (a resource) is refused by name', async () => {
    const e = await readDamaged('tf1-variables-mlp', () => ({ index: indexWith({ dtype: 'DT_RESOURCE', shape: {} }) }));
    expect(e.message).to.include('tensor "dense/kernel": its type DT_RESOURCE has no tensor form here');
  });

  it('a missing data file is named', async () => {
    const { dir, remove } = await temporaryDirectory();
    try {
      const prefix = join(dir, 'variables');
      await copyFile(bundleIndexFile(fixturePrefix('tf1-variables-mlp')), bundleIndexFile(prefix));
      let error: unknown;
      await readTensorBundle(prefix).catch((e: unknown) => { error = e; });
      expect(error).to.be.instanceOf(ModelLoadError);
      expect(String(error)).to.include('variables.data-00000-of-00001": cannot be read (ENOENT)');
      await rm(bundleIndexFile(prefix));
      await readTensorBundle(prefix).catch((e: unknown) => { error = e; });
      expect(String(error)).to.include('variables.index": cannot be read (ENOENT)');
    } finally {
      await remove();
    }
  });
});
