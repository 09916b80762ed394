import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Builder } from 'flatbuffers';

// A tiny .tflite written field by field (schema.fbs slots), independent of the exporter:
//   y = GATHER(x, indices) + [10, 20]      x: float32 [4], indices: int32 [2], y: float32 [2]
// SignatureDef "serving_default" (x, indices → y, subgraph 0) and "gathered" (x, indices → g, subgraph 1: the GATHER alone).

function ints(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

function offsets(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addOffset(values[i]!);
  return b.endVector();
}

function table(b: Builder, fields: number, add: () => void): number {
  b.startObject(fields);
  add();
  return b.endObject();
}

export function gatherAddModel(): Uint8Array {
  const b = new Builder(1024);
  const constant = new Uint8Array(new Float32Array([10, 20]).buffer);
  const data = b.createByteVector(constant);
  const buffers = offsets(b, [table(b, 1, () => {}), table(b, 1, () => b.addFieldOffset(0, data, 0))]);
  const tensor = (name: string, type: number, shape: number[], buffer = 0) => {
    const s = ints(b, shape);
    const n = b.createString(name);
    return table(b, 4, () => { b.addFieldOffset(0, s, 0); b.addFieldInt8(1, type, 0); b.addFieldInt32(2, buffer, 0); b.addFieldOffset(3, n, 0); });
  };
  const operator = (opcode: number, inputs: number[], outputs: number[], optionsType: number, options: number) => {
    const i = ints(b, inputs);
    const o = ints(b, outputs);
    return table(b, 5, () => { b.addFieldInt32(0, opcode, -1); b.addFieldOffset(1, i, 0); b.addFieldOffset(2, o, 0); b.addFieldInt8(3, optionsType, 0); b.addFieldOffset(4, options, 0); });
  };
  // TFLite wants a signature to name exactly its subgraph's inputs and outputs: one subgraph each.
  const subgraph = (output: number, withAdd: boolean) => {
    const tensors = offsets(b, [tensor('x', 0, [4]), tensor('indices', 2, [2]), tensor('g', 0, [2]), tensor('c', 0, [2], 1), tensor('y', 0, [2])]);
    const gatherOptions = table(b, 1, () => b.addFieldInt32(0, 0, -1)); // GatherOptions.axis = 0 (written)
    const addOptions = table(b, 1, () => {});
    const operators = offsets(b, [operator(0, [0, 1], [2], 23, gatherOptions), ...(withAdd ? [operator(1, [2, 3], [4], 11, addOptions)] : [])]);
    const [inputs, outputs] = [ints(b, [0, 1]), ints(b, [output])];
    return table(b, 5, () => { b.addFieldOffset(0, tensors, 0); b.addFieldOffset(1, inputs, 0); b.addFieldOffset(2, outputs, 0); b.addFieldOffset(3, operators, 0); });
  };
  const subgraphs = offsets(b, [subgraph(4, true), subgraph(2, false)]);
  const opcode = (code: number) => table(b, 4, () => { b.addFieldInt8(0, code, -1); b.addFieldInt32(2, 1, 0); b.addFieldInt32(3, code, -1); });
  const opcodes = offsets(b, [opcode(36), opcode(0)]); // GATHER, ADD
  const map = (name: string, index: number) => { const n = b.createString(name); return table(b, 2, () => { b.addFieldOffset(0, n, 0); b.addFieldInt32(1, index, -1); }); };
  const signature = (key: string, output: [string, number], index: number) => {
    const inputs = offsets(b, [map('x', 0), map('indices', 1)]);
    const outputs = offsets(b, [map(...output)]);
    const k = b.createString(key);
    return table(b, 5, () => { b.addFieldOffset(0, inputs, 0); b.addFieldOffset(1, outputs, 0); b.addFieldOffset(2, k, 0); b.addFieldInt32(4, index, -1); });
  };
  const signatures = offsets(b, [signature('serving_default', ['y', 4], 0), signature('gathered', ['g', 2], 1)]);
  const description = b.createString('runtime-tflite fixture');
  const model = table(b, 8, () => {
    b.addFieldInt32(0, 3, 0); b.addFieldOffset(1, opcodes, 0); b.addFieldOffset(2, subgraphs, 0);
    b.addFieldOffset(3, description, 0); b.addFieldOffset(4, buffers, 0); b.addFieldOffset(7, signatures, 0);
  });
  b.finish(model, 'TFL3');
  return b.asUint8Array();
}

/** Writes bytes to a file in a fresh temp directory; returns its path. */
export async function tempFile(name: string, bytes: Uint8Array): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-runtime-tflite-'));
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return file;
}
