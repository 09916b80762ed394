import type { ConstantTensor, Graph, Node, Quantization } from '@modelport/core';

/** How tfjs stores one annotated weight: float16, or affine uint8/uint16 (real = scale × (q − zeroPoint)). */
export type TfjsStorage =
  | { readonly kind: 'float16' }
  | { readonly kind: 'affine'; readonly dtype: 'uint8' | 'uint16'; readonly scale: number; readonly zeroPoint: number; readonly int8?: Quantization };

/** What the graph's quantization asks that a tfjs model cannot hold. */
export interface StorageRefusals {
  /** Nodes that compute on int8: tfjs computes in float. */
  readonly int8Nodes: readonly Node[];
  /** Annotated weights tfjs cannot store, with why. */
  readonly weights: readonly { readonly name: string; readonly why: string }[];
}

export interface StoragePlan {
  /** By Const name, the annotated weights tfjs stores quantized. */
  readonly storage: ReadonlyMap<string, TfjsStorage>;
  readonly refusals: StorageRefusals;
}

const isWhole = (n: number | undefined) => Number.isInteger(n);

/**
 * The tfjs storage of an annotated weight, or why there is none. tfjs holds float16 and affine
 * uint8/uint16 per tensor; an int8 weight per tensor with a whole zero point is the same storage as
 * uint8 with the zero point + 128 (the same integers shifted), so it is written that way.
 */
export function tfjsStorageOf(value: ConstantTensor, q: Quantization): TfjsStorage | string {
  const what = `${q.dtype ?? value.dtype}${q.scale.length > 1 ? ` per channel (${q.scale.length} channels on axis ${q.axis})` : ''}`;
  if (value.dtype !== 'float32') return `${what} on a ${value.dtype} weight`;
  if (q.dtype === 'float16') return { kind: 'float16' };
  if (q.scale.length !== 1 || q.zeroPoint.length !== 1) return what;
  const [scale, zeroPoint] = [q.scale[0]!, q.zeroPoint[0]!];
  if (q.dtype === 'uint8' || q.dtype === 'uint16') return { kind: 'affine', dtype: q.dtype, scale, zeroPoint };
  if (q.dtype === 'int8' && isWhole(zeroPoint)) return { kind: 'affine', dtype: 'uint8', scale, zeroPoint: zeroPoint + 128, int8: q };
  return isWhole(zeroPoint) ? what : `${what} with a zero point that is not whole`;
}

/** Reads every annotation of the graph: what tfjs stores quantized, and what it cannot write. */
export function planWeightStorage(graph: Graph): StoragePlan {
  const storage = new Map<string, TfjsStorage>();
  const weights: { name: string; why: string }[] = [];
  for (const [name, value] of graph.constants) {
    if (!value.quantization) continue;
    const s = tfjsStorageOf(value, value.quantization);
    if (typeof s === 'string') weights.push({ name, why: s });
    else storage.set(name, s);
  }
  return { storage, refusals: { int8Nodes: graph.nodes.filter((n) => n.quantized), weights } };
}
