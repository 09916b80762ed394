import type { SeededRandom } from './random.js';
import type { MutatedBytes } from './byte-mutations.js';

/**
 * A protobuf message read at the wire level, without its schema: length-delimited fields that
 * parse as messages are kept as children, so mutations keep every enclosing length right and
 * reach the readers' field handling rather than stopping at the first framing check.
 */
interface WireField {
  number: number;
  wireType: number;
  varint?: bigint;
  fixed?: Uint8Array;
  bytes?: Uint8Array;
  children?: WireField[];
}

function readVarint(b: Uint8Array, at: number): [bigint, number] | undefined {
  let value = 0n;
  for (let shift = 0n, i = at; i < b.length && shift < 70n; i++, shift += 7n) {
    value |= BigInt(b[i]! & 0x7f) << shift;
    if (!(b[i]! & 0x80)) return [value, i + 1];
  }
  return undefined;
}

function parseMessage(b: Uint8Array, depth: number): WireField[] | undefined {
  const fields: WireField[] = [];
  let at = 0;
  while (at < b.length) {
    const tag = readVarint(b, at);
    if (!tag) return undefined;
    const [key, next] = tag;
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number === 0) return undefined;
    at = next;
    if (wireType === 0) {
      const v = readVarint(b, at);
      if (!v) return undefined;
      fields.push({ number, wireType, varint: v[0] });
      at = v[1];
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (at + size > b.length) return undefined;
      fields.push({ number, wireType, fixed: b.slice(at, at + size) });
      at += size;
    } else if (wireType === 2) {
      const len = readVarint(b, at);
      if (!len || len[1] + Number(len[0]) > b.length) return undefined;
      const payload = b.slice(len[1], len[1] + Number(len[0]));
      const children = depth < 12 && payload.length ? parseMessage(payload, depth + 1) : undefined;
      fields.push({ number, wireType, bytes: payload, ...(children?.length ? { children } : {}) });
      at = len[1] + Number(len[0]);
    } else return undefined;
  }
  return fields;
}

function varintBytes(v: bigint): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  do { let byte = Number(x & 0x7fn); x >>= 7n; if (x) byte |= 0x80; out.push(byte); } while (x);
  return out;
}

function serialize(fields: readonly WireField[]): Uint8Array {
  const parts: number[] = [];
  for (const f of fields) {
    parts.push(...varintBytes((BigInt(f.number) << 3n) | BigInt(f.wireType)));
    if (f.varint !== undefined) parts.push(...varintBytes(f.varint));
    else if (f.fixed) parts.push(...f.fixed);
    else {
      const payload = f.children ? serialize(f.children) : f.bytes ?? new Uint8Array(0);
      parts.push(...varintBytes(BigInt(payload.length)));
      for (const byte of payload) parts.push(byte);
    }
  }
  return Uint8Array.from(parts);
}

interface Located { readonly field: WireField; readonly siblings: WireField[]; readonly path: string }

function locate(fields: WireField[], path = '', out: Located[] = []): Located[] {
  for (const f of fields) {
    const here = `${path}/${f.number}`;
    out.push({ field: f, siblings: fields, path: here });
    if (f.children) locate(f.children, here, out);
  }
  return out;
}

const ODD_VARINTS: readonly bigint[] = [0n, 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 63n - 1n, -1n, -(2n ** 31n), 2n ** 53n + 1n, 1000n];

/** One schema-blind but structure-keeping protobuf mutation; undefined when the bytes do not parse as a message. */
export function mutateProtobuf(input: Uint8Array, rng: SeededRandom): MutatedBytes | undefined {
  const root = parseMessage(input, 0);
  if (!root?.length) return undefined;
  const all = locate(root);
  const { field, siblings, path } = rng.pick(all);
  let description: string;
  switch (rng.int(6)) {
    case 0:
      siblings.splice(siblings.indexOf(field), 1);
      description = `drop field ${path}`;
      break;
    case 1:
      siblings.splice(siblings.indexOf(field), 0, structuredClone(field));
      description = `repeat field ${path}`;
      break;
    case 2: {
      const v = rng.pick(ODD_VARINTS);
      Object.assign(field, { wireType: 0, varint: v, fixed: undefined, bytes: undefined, children: undefined });
      description = `field ${path} = varint ${v}`;
      break;
    }
    case 3: {
      const len = rng.pick([0, 1, 3, 9, 64]);
      const bytes = new Uint8Array(len).map(() => rng.int(256));
      Object.assign(field, { wireType: 2, bytes, varint: undefined, fixed: undefined, children: undefined });
      description = `field ${path} = ${len} random bytes`;
      break;
    }
    case 4: {
      const number = rng.pick([field.number + 1, 1, 2, 15, 536870911]);
      description = `field ${path} renumbered ${number}`;
      field.number = number;
      break;
    }
    default: {
      // A field of a sub-message moved to its parent: right framing, wrong place.
      const other = rng.pick(all).field;
      siblings.push(structuredClone(other));
      description = `copy of field ${other.number} appended beside ${path}`;
    }
  }
  return { bytes: serialize(root), description };
}
