import type { SeededRandom } from './random.js';

export interface MutatedBytes {
  readonly bytes: Uint8Array;
  readonly description: string;
}

/** Format-blind mutations: flips, overwrites with boundary bytes, truncation, extension, a repeated slice. */
export function mutateBytes(input: Uint8Array, rng: SeededRandom): MutatedBytes {
  const bytes = Uint8Array.from(input);
  const n = bytes.length;
  switch (rng.int(6)) {
    case 0: {
      const flips = 1 + rng.int(8);
      const at: number[] = [];
      for (let i = 0; i < flips; i++) { const p = rng.int(n); bytes[p] ^= 1 << rng.int(8); at.push(p); }
      return { bytes, description: `flip a bit at ${at.join(',')}` };
    }
    case 1: {
      const p = rng.int(n);
      const v = rng.pick([0x00, 0xff, 0x7f, 0x80]);
      bytes.fill(v, p, Math.min(n, p + 1 + rng.int(8)));
      return { bytes, description: `bytes from ${p} set to 0x${v.toString(16)}` };
    }
    case 2: {
      const keep = rng.int(n);
      return { bytes: bytes.slice(0, keep), description: `truncated to ${keep} of ${n}` };
    }
    case 3: {
      const extra = 1 + rng.int(rng.chance(0.5) ? 16 : 4096);
      const out = new Uint8Array(n + extra);
      out.set(bytes);
      for (let i = n; i < out.length; i++) out[i] = rng.int(256);
      return { bytes: out, description: `extended by ${extra} random bytes` };
    }
    case 4: {
      const from = rng.int(n);
      const len = 1 + rng.int(Math.min(64, n - from));
      const to = rng.int(n);
      const out = new Uint8Array(n + len);
      out.set(bytes.subarray(0, to));
      out.set(bytes.subarray(from, from + len), to);
      out.set(bytes.subarray(to), to + len);
      return { bytes: out, description: `${len} bytes from ${from} repeated at ${to}` };
    }
    default:
      return { bytes: new Uint8Array(0), description: 'empty' };
  }
}
