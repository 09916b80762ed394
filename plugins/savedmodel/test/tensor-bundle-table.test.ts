import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ModelLoadError } from '@modelport/core';
import { decodeTable, encodeTable, type TableEntry } from '../src/index.js';
import { fixturePrefix } from './bundle-fixtures.js';

const utf8 = new TextEncoder();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function entries(count: number, valueBytes: number): TableEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const key = utf8.encode(`layer_${String(i).padStart(5, '0')}/kernel`);
    const value = Uint8Array.from({ length: valueBytes }, (_, j) => (i * 31 + j) & 0xff);
    return [key, value] as const;
  });
}

function readUint32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true);
}

describe('tensor bundle: LevelDB table', () => {
  it('reads TensorFlow\'s index tables: the header first, then the tensors in key order', () => {
    const rows = decodeTable(readFileSync(`${fixturePrefix('tf2-module-two-signatures')}.index`), 'variables.index');
    expect(rows.map(([k]) => text(k))).to.deep.equal(
      ['', '_CHECKPOINTABLE_OBJECT_GRAPH', 'b/.ATTRIBUTES/VARIABLE_VALUE', 'w/.ATTRIBUTES/VARIABLE_VALUE']);
  });

  it('round-trips a table of many blocks with shared key prefixes', () => {
    const rows = entries(3000, 200);
    const table = encodeTable(rows);
    // 3000 entries of ~220 bytes fill three 256 KiB blocks
    expect(table.length).to.be.greaterThan(600_000);
    const back = decodeTable(table, 'many.index');
    expect(back.length).to.equal(rows.length);
    back.forEach(([k, v], i) => {
      expect(text(k)).to.equal(text(rows[i][0]));
      expect(Buffer.compare(v, rows[i][1])).to.equal(0);
    });
  });

  it('checks every block, not only the first: a flipped byte in the third block is found', () => {
    const table = encodeTable(entries(3000, 200));
    table[550_000] ^= 0x01;
    expect(() => decodeTable(table, 'many.index')).to.throw(ModelLoadError, /many\.index": block at offset 52\d{4} fails its checksum/);
  });

  it('puts a value larger than two blocks in a block of its own', () => {
    const big = new Uint8Array(600_000).fill(7);
    const rows: TableEntry[] = [[utf8.encode('a'), Uint8Array.of(1)], [utf8.encode('b'), big], [utf8.encode('c'), Uint8Array.of(2)]];
    const table = encodeTable(rows);
    // first block: entry "a" alone, 1 restart: 3 + 1 + 1 + 4 + 4 = 13 bytes, then the 5-byte trailer
    expect(readUint32(table, 13 - 4)).to.equal(1);
    const back = decodeTable(table, 'big.index');
    expect(back.map(([k, v]) => [text(k), v.length])).to.deep.equal([['a', 1], ['b', 600_000], ['c', 1]]);
  });

  it('writes an empty table as TensorFlow does: empty metaindex and index blocks, then the footer', () => {
    const table = encodeTable([]);
    // two 8-byte empty blocks with 5-byte trailers, then the 48-byte footer
    expect(table.length).to.equal(2 * 13 + 48);
    expect(decodeTable(table, 'empty.index')).to.deep.equal([]);
  });

  it('refuses keys out of bytewise order', () => {
    expect(() => encodeTable([[utf8.encode('b'), new Uint8Array(0)], [utf8.encode('a'), new Uint8Array(0)]])).to.throw(/sorted/);
    expect(() => encodeTable([[utf8.encode('a'), new Uint8Array(0)], [utf8.encode('a'), new Uint8Array(0)]])).to.throw(/unique/);
  });
});
