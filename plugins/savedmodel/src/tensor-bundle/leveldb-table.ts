import { ModelLoadError } from '@modelport/core';
import { crc32c, crc32cExtend, maskCrc32c } from './crc32c.js';

/**
 * The LevelDB sorted string table as TensorFlow writes it for a tensor bundle's index
 * (tensorflow/core/lib/io/table_builder.cc, block_builder.cc, format.cc), uncompressed:
 * data blocks of prefix-compressed keys with restart points, an empty metaindex block, an index
 * block (restart interval 1) of shortened separator keys → block handles, a 48-byte footer.
 */

/** TensorFlow's table::Options defaults, which BundleWriter keeps (only compression is turned off). */
const BLOCK_SIZE = 262144;
const RESTART_INTERVAL = 16;
const OVERLY_LARGE_BLOCK_RATIO = 2;
const BLOCK_TRAILER_SIZE = 5;
const FOOTER_SIZE = 48;
const MAGIC_LO = 0x8b80fb57;
const MAGIC_HI = 0xdb477524;
const NO_COMPRESSION = 0;

export type TableEntry = readonly [key: Uint8Array, value: Uint8Array];

class ByteSink {
  private chunks: Uint8Array[] = [];
  private pending: number[] = [];
  length = 0;
  byte(b: number): void { this.pending.push(b); this.length++; }
  varint(n: number): void {
    while (n >= 0x80) { this.byte((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
    this.byte(n);
  }
  fixed32(n: number): void { for (let i = 0; i < 4; i++) this.byte((n >>> (8 * i)) & 0xff); }
  bytes(b: Uint8Array): void {
    this.flushPending();
    this.chunks.push(b);
    this.length += b.length;
  }
  finish(): Uint8Array {
    this.flushPending();
    return concat(this.chunks, this.length);
  }
  private flushPending(): void {
    if (this.pending.length) this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function sharedPrefixLength(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** The bytewise comparator's FindShortestSeparator: a short key in [start, limit). */
function shortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
  const diff = sharedPrefixLength(start, limit);
  if (diff >= Math.min(start.length, limit.length)) return start;
  const b = start[diff];
  if (b < 0xff && b + 1 < limit[diff]) {
    const key = start.slice(0, diff + 1);
    key[diff]++;
    return key;
  }
  return start;
}

/** The bytewise comparator's FindShortSuccessor: a short key ≥ key. */
function shortSuccessor(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    if (key[i] !== 0xff) {
      const out = key.slice(0, i + 1);
      out[i]++;
      return out;
    }
  }
  return key;
}

class BlockBuilder {
  private sink = new ByteSink();
  private restarts = [0];
  private counter = 0;
  private lastKey: Uint8Array = new Uint8Array(0);
  entries = 0;
  constructor(private readonly restartInterval: number) {}

  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.counter < this.restartInterval) {
      shared = sharedPrefixLength(this.lastKey, key);
    } else {
      this.restarts.push(this.sink.length);
      this.counter = 0;
    }
    this.sink.varint(shared);
    this.sink.varint(key.length - shared);
    this.sink.varint(value.length);
    this.sink.bytes(key.subarray(shared));
    this.sink.bytes(value);
    this.lastKey = key;
    this.counter++;
    this.entries++;
  }

  sizeEstimate(): number {
    return this.sink.length + this.restarts.length * 4 + 4;
  }

  finish(): Uint8Array {
    for (const r of this.restarts) this.sink.fixed32(r);
    this.sink.fixed32(this.restarts.length);
    return this.sink.finish();
  }
}

interface BlockHandle { readonly offset: number; readonly size: number }

function encodeHandle(sink: ByteSink, h: BlockHandle): void {
  sink.varint(h.offset);
  sink.varint(h.size);
}

/** A table of `entries`, whose keys must be strictly increasing bytewise. */
export function encodeTable(entries: Iterable<TableEntry>): Uint8Array {
  const file = new ByteSink();
  const index = new BlockBuilder(1);
  let data = new BlockBuilder(RESTART_INTERVAL);
  let lastKey: Uint8Array | undefined;
  let pendingHandle: BlockHandle | undefined;

  const writeBlock = (block: BlockBuilder): BlockHandle => {
    const contents = block.finish();
    const handle = { offset: file.length, size: contents.length };
    file.bytes(contents);
    file.byte(NO_COMPRESSION);
    file.fixed32(maskCrc32c(crc32cExtend(crc32c(contents), Uint8Array.of(NO_COMPRESSION))));
    return handle;
  };
  const flush = (): void => {
    if (data.entries === 0) return;
    pendingHandle = writeBlock(data);
    data = new BlockBuilder(RESTART_INTERVAL);
  };
  const addIndexEntry = (key: Uint8Array): void => {
    const handle = new ByteSink();
    encodeHandle(handle, pendingHandle!);
    index.add(key, handle.finish());
    pendingHandle = undefined;
  };

  for (const [key, value] of entries) {
    if (lastKey) {
      if (compareBytes(key, lastKey) <= 0) throw new RangeError('table keys must be unique and sorted bytewise');
      if (key.length + value.length >= OVERLY_LARGE_BLOCK_RATIO * BLOCK_SIZE) flush();
    }
    if (pendingHandle) addIndexEntry(shortestSeparator(lastKey!, key));
    lastKey = key;
    data.add(key, value);
    if (data.sizeEstimate() >= BLOCK_SIZE) flush();
  }
  flush();
  const metaindexHandle = writeBlock(new BlockBuilder(RESTART_INTERVAL));
  if (pendingHandle) addIndexEntry(shortSuccessor(lastKey!));
  const indexHandle = writeBlock(index);

  const footer = new ByteSink();
  encodeHandle(footer, metaindexHandle);
  encodeHandle(footer, indexHandle);
  while (footer.length < FOOTER_SIZE - 8) footer.byte(0);
  footer.fixed32(MAGIC_LO);
  footer.fixed32(MAGIC_HI);
  file.bytes(footer.finish());
  return file.finish();
}

/** Reads bytes of one table file, failing with a message that names the file and the place. */
class TableCursor {
  constructor(readonly bytes: Uint8Array, readonly fileName: string, public at = 0, readonly end = bytes.length) {}
  fail(what: string): never {
    throw new ModelLoadError(what, { file: this.fileName });
  }
  varint(what: string): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) this.fail(`${what} runs past its end at offset ${this.at}`);
      const b = this.bytes[this.at++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
    return this.fail(`${what} has a malformed varint at offset ${this.at}`);
  }
  fixed32(at: number): number {
    const b = this.bytes;
    return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  }
  handle(what: string): BlockHandle {
    return { offset: this.varint(what), size: this.varint(what) };
  }
}

/** The entries of one block, checked against its trailer's checksum. */
function readBlock(file: TableCursor, handle: BlockHandle, what: string): TableEntry[] {
  const { offset, size } = handle;
  if (offset + size + BLOCK_TRAILER_SIZE > file.bytes.length - FOOTER_SIZE) {
    file.fail(`${what} at offset ${offset} (${size} bytes) lies beyond the end of the file (${file.bytes.length} bytes); the file is truncated`);
  }
  const contents = file.bytes.subarray(offset, offset + size);
  const type = file.bytes[offset + size];
  const stored = file.fixed32(offset + size + 1);
  if (maskCrc32c(crc32cExtend(crc32c(contents), Uint8Array.of(type))) !== stored) {
    file.fail(`${what} at offset ${offset} fails its checksum`);
  }
  if (type !== NO_COMPRESSION) file.fail(`${what} at offset ${offset} is compressed (type ${type}); only uncompressed tables are read`);
  if (size < 4) file.fail(`${what} at offset ${offset} is too short to hold its restart points`);
  const numRestarts = file.fixed32(offset + size - 4);
  const entriesEnd = offset + size - 4 - 4 * numRestarts;
  if (entriesEnd < offset) file.fail(`${what} at offset ${offset} claims ${numRestarts} restart points, more than it holds`);

  const cursor = new TableCursor(file.bytes, file.fileName, offset, entriesEnd);
  const entries: TableEntry[] = [];
  let lastKey: Uint8Array = new Uint8Array(0);
  while (cursor.at < entriesEnd) {
    const shared = cursor.varint(what);
    const nonShared = cursor.varint(what);
    const valueLength = cursor.varint(what);
    if (shared > lastKey.length || cursor.at + nonShared + valueLength > entriesEnd) {
      file.fail(`${what} at offset ${offset} has a malformed entry at offset ${cursor.at}`);
    }
    const key = new Uint8Array(shared + nonShared);
    key.set(lastKey.subarray(0, shared));
    key.set(file.bytes.subarray(cursor.at, cursor.at + nonShared), shared);
    cursor.at += nonShared;
    entries.push([key, file.bytes.subarray(cursor.at, cursor.at + valueLength)]);
    cursor.at += valueLength;
    lastKey = key;
  }
  return entries;
}

/** Every entry of a table file, in key order. `fileName` names the file in errors (ModelLoadError.file). */
export function decodeTable(bytes: Uint8Array, fileName: string): TableEntry[] {
  const file = new TableCursor(bytes, fileName);
  if (bytes.length < FOOTER_SIZE) file.fail(`${bytes.length} bytes is shorter than a table footer (${FOOTER_SIZE} bytes); the file is truncated`);
  const footerAt = bytes.length - FOOTER_SIZE;
  if (file.fixed32(bytes.length - 8) !== MAGIC_LO || file.fixed32(bytes.length - 4) !== MAGIC_HI) {
    file.fail('the footer lacks the table magic number; the file is truncated or not a tensor bundle index');
  }
  const footer = new TableCursor(bytes, fileName, footerAt, bytes.length - 8);
  footer.handle('the footer\'s metaindex handle');
  const indexHandle = footer.handle('the footer\'s index handle');
  const entries: TableEntry[] = [];
  for (const [, handleBytes] of readBlock(file, indexHandle, 'index block')) {
    const handle = new TableCursor(handleBytes, fileName).handle('a block handle');
    entries.push(...readBlock(file, handle, 'block'));
  }
  return entries;
}
