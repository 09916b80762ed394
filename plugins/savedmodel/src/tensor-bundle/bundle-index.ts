import { dtypeFromTf, dtypeToTf, isKnownDType, ModelLoadError, type DType } from '@modelport/core';
import { messageType } from '../proto/messages.js';
import { decodeTable, encodeTable, type TableEntry } from './leveldb-table.js';

/** Where one tensor lies in the data files, as a BundleEntryProto of the index says. */
export interface BundleEntry {
  readonly key: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly shardId: number;
  readonly offset: number;
  readonly size: number;
  /** Masked CRC-32C, as stored. */
  readonly crc32c: number;
}

/** Version of the bundle format TensorFlow writes (kTensorBundleVersion); readers accept min_consumer ≤ it. */
const BUNDLE_VERSION = 1;
/** The key of the BundleHeaderProto, first in the table. */
const HEADER_KEY = '';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * The index table: the header, then one entry per tensor in bytewise key order.
 * Fields at their default value are left out, as TensorFlow's proto3 serializer does,
 * so the bytes match TensorFlow's.
 */
export function encodeBundleIndex(entries: readonly BundleEntry[], numShards = 1): Uint8Array {
  const header = messageType('BundleHeaderProto');
  const entryType = messageType('BundleEntryProto');
  const rows: TableEntry[] = [[new Uint8Array(0), header.encode(header.fromObject({ numShards, version: { producer: BUNDLE_VERSION } })).finish()]];
  const keyed = entries.map((e) => ({ e, key: utf8.encode(e.key) })).sort((a, b) => Buffer.compare(a.key, b.key));
  for (const { e, key } of keyed) {
    const fields: Record<string, unknown> = {
      dtype: dtypeToTf(e.dtype),
      shape: { dim: e.shape.map((size) => (size === 0 ? {} : { size })) },
    };
    if (e.shardId) fields.shardId = e.shardId;
    if (e.offset) fields.offset = e.offset;
    if (e.size) fields.size = e.size;
    if (e.crc32c) fields.crc32c = e.crc32c;
    rows.push([key, entryType.encode(entryType.fromObject(fields)).finish()]);
  }
  return encodeTable(rows);
}

export interface BundleIndex {
  readonly numShards: number;
  readonly entries: readonly BundleEntry[];
}

/** The header and entries of an index file; `fileName` names it in errors. */
export function decodeBundleIndex(bytes: Uint8Array, fileName: string): BundleIndex {
  const fail = (what: string, tensor?: string): never => {
    throw new ModelLoadError(`${tensor === undefined ? '' : `tensor "${tensor}": `}${what}`, { file: fileName });
  };
  const rows = decodeTable(bytes, fileName);
  if (rows.length === 0 || rows[0][0].length !== 0) fail('the bundle header (the entry with the empty key) is missing');
  const header = decodeMessage('BundleHeaderProto', rows[0][1], () => fail('the bundle header does not parse'));
  if (header.endianness === 'BIG') fail('the bundle was written big-endian; only little-endian bundles are read');
  const minConsumer = Number((header.version as { minConsumer?: string } | undefined)?.minConsumer ?? 0);
  if (minConsumer > BUNDLE_VERSION) fail(`the bundle needs a reader of format version ${minConsumer}; this one reads version ${BUNDLE_VERSION}`);
  const numShards = Number(header.numShards ?? 0);

  const entries = rows.slice(1).map(([keyBytes, value]): BundleEntry => {
    const key = fromUtf8.decode(keyBytes);
    const p = decodeMessage('BundleEntryProto', value, () => fail('its entry does not parse', key));
    if (Array.isArray(p.slices) && p.slices.length > 0) fail('it is saved in slices (a partitioned variable); only whole tensors are read', key);
    const tfType = String(p.dtype ?? 'DT_INVALID');
    const dtype = dtypeFromTf(tfType);
    if (!isKnownDType(dtype)) fail(`its type ${tfType} has no tensor form here`, key);
    const shapeProto = (p.shape ?? {}) as { dim?: { size?: string }[]; unknownRank?: boolean };
    if (shapeProto.unknownRank) fail('its shape has unknown rank', key);
    const shape = (shapeProto.dim ?? []).map((d) => Number(d.size ?? 0));
    if (shape.some((d) => !(d >= 0))) fail(`its shape [${shape}] has a negative dimension`, key);
    const shardId = Number(p.shardId ?? 0);
    if (shardId >= numShards) fail(`it lies in shard ${shardId} but the bundle has ${numShards}`, key);
    return { key, dtype: dtype as DType, shape, shardId, offset: Number(p.offset ?? 0), size: Number(p.size ?? 0), crc32c: Number(p.crc32c ?? 0) };
  });
  return { numShards, entries };
}

function decodeMessage(name: string, bytes: Uint8Array, onError: () => never): Record<string, unknown> {
  const type = messageType(name);
  try {
    return type.toObject(type.decode(bytes), { longs: String, enums: String, defaults: false }) as Record<string, unknown>;
  } catch {
    return onError();
  }
}
