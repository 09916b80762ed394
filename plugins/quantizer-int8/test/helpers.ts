import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { GraphBuilder, type DType, type ExportContext, type ExportOptions, type Graph, type Logger } from '@modelport/core';
import { writeNpy } from '../src/index.js';

/** A temp folder removed after the test run. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quantizer-int8-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a png of RGB pixels (a function of x, y) with pngjs. */
export function writePng(file: string, width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): void {
  const png = new pngjs.PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      png.data.set([r, g, b, 255], 4 * (y * width + x));
    }
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, pngjs.PNG.sync.write(png));
}

/** Writes a jpg of RGB pixels with jpeg-js at quality 100. */
export function writeJpg(file: string, width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): void {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...rgb(x, y), 255], 4 * (y * width + x));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, jpeg.encode({ width, height, data }, 100).data);
}

export function writeNpyFile(file: string, dtype: 'float32' | 'int32' | 'uint8', shape: number[], data: ArrayLike<number>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, writeNpy({ dtype, shape, data }));
}

/** A graph with the given inputs, each read by an Identity that is an output. */
export function inputsGraph(inputs: Record<string, { dtype: DType; shape: number[] | null }>): Graph {
  const b = new GraphBuilder();
  const outs = Object.entries(inputs).map(([name, spec]) => b.node(`${name}/out`, { op: 'Identity', inputs: [b.input(name, spec.dtype, spec.shape)] }));
  return b.outputs(...outs).build();
}

export function exportContext(options: Partial<ExportOptions>, messages: string[] = []): ExportContext {
  const full: ExportOptions = { targets: ['tflite'], out: 'out', validate: false, ...options };
  const logger: Logger = { debug() {}, info: (m) => messages.push(m), warn: (m) => messages.push(`warning: ${m}`) };
  return { request: { source: { format: 'tfjs', path: 'model.json' }, options: full }, options: full, logger, notes: [], data: new Map() };
}

export const quietLogger: Logger = { debug() {}, info() {}, warn() {} };

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
