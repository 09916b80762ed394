import { ByteBuffer } from 'flatbuffers';

// Readers for the few tables of schema.fbs that inspection and the runtime need. Field slots are
// positions in the schema: a field's vtable entry is at 4 + 2·slot.

/** A table of the flatbuffer: reads its fields by slot, 0 when absent; every offset is checked against the end. */
class Table {
  constructor(readonly bb: ByteBuffer, readonly pos: number) {
    inside(bb, pos, 4);
    inside(bb, pos - bb.readInt32(pos), 4);
  }

  private field(slot: number): number {
    const o = this.bb.__offset(this.pos, 4 + 2 * slot);
    if (o) inside(this.bb, this.pos + o, 4);
    return o;
  }

  /** Start and length of a vector field of `size`-byte elements, checked. */
  private vector(slot: number, size: number): [number, number] | undefined {
    const o = this.field(slot);
    if (!o) return undefined;
    inside(this.bb, this.bb.__indirect(this.pos + o), 4);
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    inside(this.bb, start, n * size);
    return [start, n];
  }

  int(slot: number, fallback = 0): number {
    const o = this.field(slot);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }

  byte(slot: number, fallback = 0): number {
    const o = this.field(slot);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }

  string(slot: number): string | undefined {
    const v = this.vector(slot, 1);
    return v ? new TextDecoder().decode(this.bb.bytes().subarray(v[0], v[0] + v[1])) : undefined;
  }

  table(slot: number): Table | undefined {
    const o = this.field(slot);
    return o ? new Table(this.bb, this.bb.__indirect(this.pos + o)) : undefined;
  }

  tables(slot: number): Table[] {
    const v = this.vector(slot, 4);
    if (!v) return [];
    return Array.from({ length: v[1] }, (_, i) => new Table(this.bb, this.bb.__indirect(v[0] + 4 * i)));
  }

  ints(slot: number): number[] {
    const v = this.vector(slot, 4);
    if (!v) return [];
    return Array.from({ length: v[1] }, (_, i) => this.bb.readInt32(v[0] + 4 * i));
  }

  bytes(slot: number): Uint8Array | undefined {
    const v = this.vector(slot, 1);
    return v ? this.bb.bytes().subarray(v[0], v[0] + v[1]) : undefined;
  }
}

/** Throws when [pos, pos + size) is not inside the buffer: a file cut short or not a flatbuffer. */
function inside(bb: ByteBuffer, pos: number, size: number): void {
  if (!(pos >= 0 && size >= 0 && pos + size <= bb.capacity())) throw new RangeError(`offset ${pos} (+${size}) lies outside the ${bb.capacity()} bytes`);
}

export interface TfliteTensorInfo {
  readonly name: string;
  readonly type: number;
  readonly shape: readonly number[];
  readonly shapeSignature?: readonly number[];
  readonly buffer: number;
}

export interface TfliteSubGraphInfo {
  readonly name: string;
  readonly tensors: readonly TfliteTensorInfo[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Op code index per operator. */
  readonly operators: readonly number[];
}

export interface TfliteSignatureInfo {
  readonly key: string;
  readonly subgraph: number;
  readonly inputs: readonly { name: string; tensor: number }[];
  readonly outputs: readonly { name: string; tensor: number }[];
}

export interface TfliteModelInfo {
  readonly version: number;
  readonly description: string;
  /** Builtin code per op code (max of the deprecated byte and the int field, as TFLite reads it). */
  readonly opCodes: readonly { builtin: number; custom?: string }[];
  readonly subgraphs: readonly TfliteSubGraphInfo[];
  readonly signatures: readonly TfliteSignatureInfo[];
  readonly metadata: ReadonlyMap<string, Uint8Array>;
  /** Bytes held by weight buffers. */
  readonly bufferBytes: number;
}

/** Whether the bytes start like a TFLite flatbuffer: a root offset inside the file and "TFL3". */
export function looksLikeTflite(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 8) return false;
  const bb = new ByteBuffer(bytes);
  const root = bb.readUint32(0);
  return bb.__has_identifier('TFL3') && root >= 8 && root < bytes.byteLength - 4;
}

/** Reads the model's tables. Throws (RangeError and kin) on a buffer that is cut short or garbled. */
export function readTflite(bytes: Uint8Array): TfliteModelInfo {
  const bb = new ByteBuffer(bytes);
  if (bytes.byteLength < 8) throw new RangeError(`${bytes.byteLength} bytes are too few for a flatbuffer`);
  const model = new Table(bb, bb.readUint32(0));
  const buffers = model.tables(4);
  const bufferData = (i: number) => buffers[i]?.bytes(0);
  const metadata = new Map<string, Uint8Array>();
  for (const m of model.tables(6)) metadata.set(m.string(0) ?? '', bufferData(m.int(1)) ?? new Uint8Array());
  const tensorMap = (t: Table) => ({ name: t.string(0) ?? '', tensor: t.int(1) });
  return {
    version: model.int(0),
    description: model.string(3) ?? '',
    opCodes: model.tables(1).map((c) => ({ builtin: Math.max(c.byte(0), c.int(3)), ...(c.string(1) ? { custom: c.string(1)! } : {}) })),
    subgraphs: model.tables(2).map((g) => ({
      name: g.string(4) ?? '',
      tensors: g.tables(0).map((t) => {
        const signature = t.ints(7);
        return { name: t.string(3) ?? '', type: t.byte(1), shape: t.ints(0), buffer: t.int(2), ...(signature.length ? { shapeSignature: signature } : {}) };
      }),
      inputs: g.ints(1),
      outputs: g.ints(2),
      operators: g.tables(3).map((op) => op.int(0)),
    })),
    signatures: model.tables(7).map((s) => ({ key: s.string(2) ?? '', subgraph: s.int(4), inputs: s.tables(0).map(tensorMap), outputs: s.tables(1).map(tensorMap) })),
    metadata,
    bufferBytes: buffers.reduce((n, b) => n + (b.bytes(0)?.byteLength ?? 0), 0),
  };
}
