import type { Shape } from '@modelport/core';

/** NumPy broadcasting of two shapes; unknown dims stay unknown unless the other side fixes them. Undefined when they clash. */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  if (a === null || b === null) return null;
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x === y) out.push(x);
    else if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === -1 || y === -1) out.push(x === -1 ? (y === 1 ? -1 : y) : x);
    else return undefined;
  }
  return out;
}

/** An axis in [0, rank), from TensorFlow's [-rank, rank). */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export function permuteShape(shape: Shape, perm: readonly number[]): Shape {
  return shape === null ? null : perm.map((p) => shape[p] ?? -1);
}

export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => { inv[p] = i; });
  return inv;
}

/** Transpose(Transpose(x, first), second) = Transpose(x, composePerms(first, second)). */
export function composePerms(first: readonly number[], second: readonly number[]): number[] {
  return second.map((s) => first[s]!);
}

export function isIdentityPerm(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** Product of dims, -1 when one is unknown. */
export function knownSize(shape: Shape): number {
  if (shape === null) return -1;
  let n = 1;
  for (const d of shape) { if (d < 0) return -1; n *= d; }
  return n;
}

/** Output size of a windowed op (conv, pool) along one axis, TensorFlow's rules. */
export function windowOutput(size: number, kernel: number, stride: number, dilation: number, padding: 'SAME' | 'VALID' | 'EXPLICIT', padBefore = 0, padAfter = 0): number {
  if (size < 0) return -1;
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'SAME') return Math.ceil(size / stride);
  if (padding === 'VALID') return Math.max(0, Math.floor((size - effective) / stride) + 1);
  return Math.max(0, Math.floor((size + padBefore + padAfter - effective) / stride) + 1);
}

/** TensorFlow's SAME padding for one axis: the odd pixel goes at the end. */
export function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
