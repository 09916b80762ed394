import type { Shape } from '@modelport/core';
import { broadcastShapes } from './shapes.js';
import { isStatic, type Value } from './value.js';

/** Largest result computed at export time: shape arithmetic, not weights. */
export const FOLD_LIMIT = 4096;

/** Wraps a number to what the dtype holds (int32 overflow, truncation), as the runtime would. */
export function coerce(dtype: string, x: number): number {
  switch (dtype) {
    case 'int32': return Math.trunc(x) | 0;
    case 'int64': return Math.trunc(x);
    case 'int16': return (Math.trunc(x) << 16) >> 16;
    case 'int8': return (Math.trunc(x) << 24) >> 24;
    case 'uint8': return Math.trunc(x) & 0xff;
    case 'uint16': return Math.trunc(x) & 0xffff;
    case 'uint32': return Math.trunc(x) >>> 0;
    case 'bool': return x ? 1 : 0;
    case 'float32': return Math.fround(x);
    default: return x;
  }
}

/** Elementwise `fn` over known, broadcast inputs; undefined when not all known or too large. */
export function foldElementwise(inputs: readonly Value[], dtype: string, fn: (...xs: number[]) => number): { shape: number[]; known: number[] } | undefined {
  if (!inputs.every((v) => v.known && isStatic(v.shape))) return undefined;
  let shape: Shape | undefined = [];
  for (const v of inputs) { shape = broadcastShapes(shape, v.shape); if (!shape) return undefined; }
  const out = shape as number[];
  const size = out.reduce((n, d) => n * d, 1);
  if (size > FOLD_LIMIT) return undefined;
  const rank = out.length;
  // Strides of each input over the output index, 0 along broadcast axes.
  const strides = inputs.map((v) => {
    const s = v.shape as readonly number[];
    const st = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let i = s.length - 1; i >= 0; i--) { const a = rank - s.length + i; st[a] = s[i] === 1 ? 0 : acc; acc *= s[i]!; }
    return st;
  });
  const known = new Array<number>(size);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < size; o++) {
    const args = inputs.map((v, k) => v.known![idx.reduce((n, d, a) => n + d * strides[k]![a]!, 0)]!);
    known[o] = coerce(dtype, fn(...args));
    for (let a = rank - 1; a >= 0; a--) { if (++idx[a]! < out[a]!) break; idx[a] = 0; }
  }
  return { shape: out, known };
}
