import type { SeededRandom } from './random.js';
import type { MutatedBytes } from './byte-mutations.js';

const ODD_OFFSETS: readonly number[] = [0, 1, 3, 0x7fffffff, 0xffffffff, 0x80000000, 0xfffffffc];

/**
 * Flatbuffer-aware corruption of a .tflite: the root table offset, a table's vtable offset, or any
 * aligned 32-bit word (offsets and vector lengths are such words) set to a value pointing outside
 * the buffer, at itself, or at a neighbour.
 */
export function mutateFlatbuffer(input: Uint8Array, rng: SeededRandom): MutatedBytes {
  const bytes = Uint8Array.from(input);
  const view = new DataView(bytes.buffer);
  const words = Math.floor(bytes.length / 4);
  switch (rng.int(4)) {
    case 0: {
      const v = rng.pick([...ODD_OFFSETS, bytes.length, bytes.length - 4]);
      view.setUint32(0, v >>> 0, true);
      return { bytes, description: `root offset = ${v}` };
    }
    case 1: {
      const root = view.getUint32(0, true);
      if (root + 4 > bytes.length) return { bytes, description: 'unchanged' };
      const v = rng.pick([-0x7fffffff, 0x7fffffff, 0, 4, -4]);
      view.setInt32(root, v, true);
      return { bytes, description: `root table's vtable offset = ${v}` };
    }
    case 2: {
      const at = 4 * rng.int(words);
      const v = rng.pick(ODD_OFFSETS);
      view.setUint32(at, v >>> 0, true);
      return { bytes, description: `word at ${at} = ${v}` };
    }
    default: {
      const at = 4 * rng.int(words);
      const old = view.getUint32(at, true);
      const v = (old + rng.pick([1, -1, 4, -4, 1 << 16])) >>> 0;
      view.setUint32(at, v, true);
      return { bytes, description: `word at ${at} ${old} → ${v}` };
    }
  }
}
