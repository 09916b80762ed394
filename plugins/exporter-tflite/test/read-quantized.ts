import { ByteBuffer } from 'flatbuffers';
import { BUILTIN_OPERATOR_NAMES, TENSOR_TYPE_NAMES } from '../src/schema/enums.js';

// Reads back what the quantized export wrote, from the bytes, with the slots of schema.fbs:
// tensor types and QuantizationParameters, operator codes with versions, each operator's tensors.

export interface ReadTensor {
  readonly name: string;
  readonly type: string;
  readonly shape: number[];
  readonly buffer: number;
  readonly scale: number[];
  readonly zeroPoint: number[];
  readonly quantizedDimension: number;
}

export interface ReadOperator {
  readonly op: string;
  readonly version: number;
  readonly inputs: number[];
  readonly outputs: number[];
}

export interface ReadModel {
  readonly tensors: ReadTensor[];
  readonly operators: ReadOperator[];
  /** Version per op name. */
  readonly versions: Map<string, number>;
  readonly buffers: (Uint8Array | undefined)[];
  /** The subgraph's input and output tensor indices. */
  readonly inputs: number[];
  readonly outputs: number[];
}

class T {
  constructor(readonly bb: ByteBuffer, readonly pos: number) {}
  private off(slot: number): number { return this.bb.__offset(this.pos, 4 + 2 * slot); }
  int(slot: number, d = 0): number { const o = this.off(slot); return o ? this.bb.readInt32(this.pos + o) : d; }
  byte(slot: number, d = 0): number { const o = this.off(slot); return o ? this.bb.readInt8(this.pos + o) : d; }
  table(slot: number): T | undefined { const o = this.off(slot); return o ? new T(this.bb, this.bb.__indirect(this.pos + o)) : undefined; }
  private vec(slot: number): [number, number] | undefined {
    const o = this.off(slot);
    return o ? [this.bb.__vector(this.pos + o), this.bb.__vector_len(this.pos + o)] : undefined;
  }
  tables(slot: number): T[] { const v = this.vec(slot); return v ? Array.from({ length: v[1] }, (_, i) => new T(this.bb, this.bb.__indirect(v[0] + 4 * i))) : []; }
  ints(slot: number): number[] { const v = this.vec(slot); return v ? Array.from({ length: v[1] }, (_, i) => this.bb.readInt32(v[0] + 4 * i)) : []; }
  floats(slot: number): number[] { const v = this.vec(slot); return v ? Array.from({ length: v[1] }, (_, i) => this.bb.readFloat32(v[0] + 4 * i)) : []; }
  longs(slot: number): number[] { const v = this.vec(slot); return v ? Array.from({ length: v[1] }, (_, i) => Number(this.bb.readInt64(v[0] + 8 * i))) : []; }
  bytes(slot: number): Uint8Array | undefined { const v = this.vec(slot); return v ? this.bb.bytes().subarray(v[0], v[0] + v[1]) : undefined; }
  string(slot: number): string { const v = this.vec(slot); return v ? new TextDecoder().decode(this.bb.bytes().subarray(v[0], v[0] + v[1])) : ''; }
}

/** The first subgraph's tensors and operators (the serving signature's), and the model's op versions. */
export function readQuantized(bytes: Uint8Array): ReadModel {
  const bb = new ByteBuffer(bytes);
  const model = new T(bb, bb.readUint32(0));
  const codes = model.tables(1).map((c) => ({ op: BUILTIN_OPERATOR_NAMES.get(Math.max(c.byte(0), c.int(3)))!, version: c.int(2, 1) }));
  const g = model.tables(2).at(-1)!;
  const tensors = g.tables(0).map((t) => {
    const q = t.table(4);
    return {
      name: t.string(3), type: TENSOR_TYPE_NAMES.get(t.byte(1))!, shape: t.ints(0), buffer: t.int(2),
      scale: q?.floats(2) ?? [], zeroPoint: q?.longs(3) ?? [], quantizedDimension: q?.int(6) ?? 0,
    };
  });
  const operators = g.tables(3).map((o) => ({ ...codes[o.int(0)]!, inputs: o.ints(1), outputs: o.ints(2) }));
  return { tensors, operators, versions: new Map(codes.map((c) => [c.op, c.version])), buffers: model.tables(4).map((b) => b.bytes(0)), inputs: g.ints(1), outputs: g.ints(2) };
}
