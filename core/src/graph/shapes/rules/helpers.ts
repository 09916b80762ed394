import { attr } from '../../attrs.js';
import type { Node } from '../../types.js';
import { constant, constantValue, opaque, sameDim, type DimExpr } from '../dim-expr.js';
import { concreteDims, trackable, unknownFacts, type SymbolicDim, type SymbolicShape, type TensorFacts } from '../tensor-facts.js';

export const one = (facts: TensorFacts): readonly TensorFacts[] => [facts];

/** Facts with values kept only when the shape allows tracking them. */
export function withValues(dtype: string, shape: SymbolicShape, values?: readonly SymbolicDim[]): TensorFacts {
  const n = trackable(shape);
  return n !== undefined && values && values.length === n && (n === 0 || values.some((v) => v !== null)) ? { dtype, shape, values } : { dtype, shape };
}

/** A negative axis counted from the end; undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** One broadcast dimension: equal sizes, a 1 takes the other, two unknowns stay linked by bcast(). */
export function broadcastDim(a: SymbolicDim, b: SymbolicDim): SymbolicDim {
  if (a !== null && b !== null && sameDim(a, b)) return a;
  const x = constantValue(a), y = constantValue(b);
  if (x === 1) return b;
  if (y === 1) return a;
  if (x !== undefined && y !== undefined) return null;
  if (x !== undefined) return a; // b must be 1 or x
  if (y !== undefined) return b;
  if (a === null || b === null) return null;
  return opaque('bcast', a.key < b.key ? [a, b] : [b, a]);
}

export function broadcastShapes(a: SymbolicShape, b: SymbolicShape): SymbolicShape {
  if (a === null || b === null) return null;
  const rank = Math.max(a.length, b.length);
  const out: SymbolicDim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? constant(1), y = b[b.length - rank + i] ?? constant(1);
    out.push(broadcastDim(x, y));
  }
  return out;
}

/** Row-major strides of a concrete shape. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** The index into a broadcast operand of shape `from` for each element of `to`. */
export function broadcastIndex(from: readonly number[], to: readonly number[]): number[] {
  const n = to.reduce((a, b) => a * b, 1);
  const fs = strides(from), ts = strides(to);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let src = 0;
    for (let d = 0; d < to.length; d++) {
      const fd = d - (to.length - from.length);
      if (fd < 0 || from[fd] === 1) continue;
      src += Math.floor(i / ts[d]!) % to[d]! * fs[fd]!;
    }
    out.push(src);
  }
  return out;
}

/** The values of an input as an int list (axes, perms, sizes) when all are constants. */
export function intList(facts: TensorFacts | undefined): number[] | undefined {
  if (!facts?.values) return undefined;
  return concreteDims(facts.values);
}

/** The values of a 1-D size input as dims (each may be symbolic or unknown); undefined when its length is unknown. */
export function dimList(facts: TensorFacts | undefined): SymbolicDim[] | undefined {
  const shape = concreteDims(facts?.shape ?? null);
  if (!shape || shape.length > 1) return undefined;
  const n = shape.length === 0 ? 1 : shape[0]!;
  return facts!.values ? [...facts!.values] : new Array<SymbolicDim>(n).fill(null);
}

export const sameShape = (dtype: string) => (facts: TensorFacts): TensorFacts => ({ dtype, shape: facts.shape });

export function unknownOutputs(count: number, dtype = 'unknown'): TensorFacts[] {
  return Array.from({ length: count }, () => unknownFacts(dtype));
}

export function dataFormat(node: Node): string {
  return attr.string(node, 'data_format', 'NHWC');
}

export type Dims = readonly (DimExpr | null)[];

/** Values of an output of concrete shape, each read through `at` from its multi-index; undefined when too large. */
export function mapValues(shape: readonly SymbolicDim[] | null, at: (index: readonly number[]) => SymbolicDim | undefined): SymbolicDim[] | undefined {
  const ds = concreteDims(shape);
  if (!ds || (trackable(shape) ?? -1) < 0) return undefined;
  const n = ds.reduce((a, b) => a * b, 1);
  const st = strides(ds);
  const out: SymbolicDim[] = [];
  for (let i = 0; i < n; i++) {
    const index = ds.map((d, k) => Math.floor(i / st[k]!) % d);
    const v = at(index);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** The element of tracked `facts` at a multi-index; undefined when not tracked. */
export function valueAt(facts: TensorFacts, index: readonly number[]): SymbolicDim | undefined {
  const ds = concreteDims(facts.shape);
  if (!ds || !facts.values) return undefined;
  const st = strides(ds);
  return facts.values[index.reduce((acc, v, k) => acc + v * st[k]!, 0)];
}
