import { expect } from 'chai';
import { crc32c, crc32cExtend, maskCrc32c, unmaskCrc32c } from '../src/index.js';

/** Bit by bit from the polynomial: a reference that shares nothing with the table-driven code. */
function crc32cBitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('tensor bundle: CRC-32C', () => {
  it('gives the published check values (RFC 3720 B.4, LevelDB crc32c_test)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).to.equal(0xe3069283);
    expect(crc32c(new Uint8Array(32))).to.equal(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).to.equal(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).to.equal(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).to.equal(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).to.equal(0);
  });

  it('agrees with the bitwise definition at every length and alignment, and extends piece by piece', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= bytes.length; end += 17) {
        const part = bytes.subarray(start, end);
        expect(crc32c(part), `bytes ${start}..${end}`).to.equal(crc32cBitwise(part));
      }
    }
    expect(crc32cExtend(crc32c(bytes.subarray(0, 123)), bytes.subarray(123))).to.equal(crc32c(bytes));
  });

  it('masks as LevelDB does, and unmasks back', () => {
    const crc = crc32c(new TextEncoder().encode('foo'));
    expect(maskCrc32c(crc)).to.not.equal(crc);
    expect(maskCrc32c(maskCrc32c(crc))).to.not.equal(crc);
    expect(unmaskCrc32c(maskCrc32c(crc))).to.equal(crc);
    expect(unmaskCrc32c(unmaskCrc32c(maskCrc32c(maskCrc32c(crc))))).to.equal(crc);
    // ((0 >>> 15) | (0 << 17)) + 0xa282ead8
    expect(maskCrc32c(0)).to.equal(0xa282ead8);
    expect(maskCrc32c(0xffffffff)).to.equal((0xffffffff + 0xa282ead8) >>> 0);
  });
});
