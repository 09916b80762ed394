import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attrValue, GraphBuilder, silentLogger, type ExportContext, type ExportOptions, type Graph } from '@modelport/core';

/** Deterministic values with negatives, positives and exact ties of the tfjs levels. */
export function wave(n: number, amplitude = 1, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => amplitude * Math.sin(i * 1.7 + 0.3) + offset);
}

/**
 * x → Conv2D(filter) + bias → MatMul(kernel) + shift, with an int32 shape Const: float weights of
 * several ranges (all negative, all positive, all zero), and one integer weight that must stay exact.
 */
export function smallNet(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 4, 4, 2]);
  const filter = b.constant('conv/filter', 'float32', [3, 3, 2, 3], wave(54, 0.8, 0.1));
  const conv = b.node('conv', { op: 'Conv2D', inputs: [x, filter], attrs: { strides: attrValue.ints([1, 1, 1, 1]), padding: attrValue.string('SAME'), dilations: attrValue.ints([1, 1, 1, 1]) } });
  const bias = b.node('conv/bias', { op: 'Add', inputs: [conv, b.constant('conv/bias/value', 'float32', [3], [-0.5, -0.25, -1])] });
  const flat = b.node('flat', { op: 'Reshape', inputs: [bias, b.constant('flat/shape', 'int32', [2], [1, 48])] });
  const kernel = b.constant('dense/kernel', 'float32', [48, 5], wave(240, 2, 0));
  const dense = b.node('dense', { op: 'MatMul', inputs: [flat, kernel], attrs: { transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) } });
  const shift = b.node('dense/shift', { op: 'Add', inputs: [dense, b.constant('dense/shift/value', 'float32', [5], [0.25, 0.5, 0.75, 1, 1.25])] });
  const zeros = b.node('zeros', { op: 'Mul', inputs: [shift, b.constant('zeros/value', 'float32', [5], [0, 0, 0, 0, 0])] });
  b.outputs(b.node('out', { op: 'AddV2', inputs: [shift, zeros] }));
  return b.build();
}

export function exportContext(options: Partial<ExportOptions> = {}): ExportContext {
  const exportOptions: ExportOptions = { targets: ['tfjs'], out: 'out', validate: false, ...options };
  return { request: { source: { format: 'tfjs' }, options: exportOptions }, options: exportOptions, logger: silentLogger, notes: [], data: new Map() };
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `modelport-${prefix}-`));
}
