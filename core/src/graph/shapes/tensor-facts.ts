import { constant, constantValue, mul as mulDims, symbolsOf, type DimExpr, type SymbolOrigin } from './dim-expr.js';

/** A dimension (or a tracked element value): an expression, or null when nothing is known. */
export type SymbolicDim = DimExpr | null;

/** Dimensions of a tensor; null = unknown rank. */
export type SymbolicShape = readonly SymbolicDim[] | null;

/**
 * What inference knows of one tensor: its shape and, for small tensors of known size (Shape
 * outputs and the arithmetic on them), its element values in row-major order.
 */
export interface TensorFacts {
  readonly dtype: string;
  readonly shape: SymbolicShape;
  readonly values?: readonly SymbolicDim[];
}

/** Values are tracked for tensors of at most this many elements (shape vectors, small constants). */
export const MAX_TRACKED_VALUES = 1024;

export const unknownFacts = (dtype = 'unknown'): TensorFacts => ({ dtype, shape: null });

export const dims = (...ns: readonly number[]): SymbolicDim[] => ns.map(constant);

/** The shape as numbers when every dimension is free of symbols and unknowns, else undefined. */
export function concreteDims(shape: SymbolicShape): number[] | undefined {
  if (shape === null) return undefined;
  const out: number[] = [];
  for (const d of shape) {
    const v = constantValue(d);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

export const isConcreteShape = (shape: SymbolicShape): boolean => concreteDims(shape) !== undefined;

/** The values as numbers when all are tracked and free of symbols, else undefined. */
export function concreteValues(facts: TensorFacts | undefined): number[] | undefined {
  if (!facts?.values) return undefined;
  return concreteDims(facts.values);
}

/** The product of the dimensions as an expression (null when one is unknown). */
export function elementCount(shape: SymbolicShape): SymbolicDim {
  if (shape === null) return null;
  let n: DimExpr = constant(1);
  for (const d of shape) {
    if (d === null) return null;
    n = mulDims(n, d);
  }
  return n;
}

/**
 * How a shape is decided: 'static' (no symbol), 'inputs' (by the open dimensions of the graph
 * inputs, known once they are fed), 'data' (by tensor values: Where, NMS…) or 'unknown'.
 */
export type ShapeOrigin = 'static' | 'inputs' | 'data' | 'unknown';

export function shapeOrigin(shape: SymbolicShape): ShapeOrigin {
  if (shape === null || shape.some((d) => d === null)) return 'unknown';
  const symbols = new Map<string, SymbolOrigin>();
  for (const d of shape) symbolsOf(d!, symbols);
  if (symbols.size === 0) return 'static';
  return [...symbols.values()].includes('data') ? 'data' : 'inputs';
}

/** Values tracked only when the tensor is small and its size is a known number. */
export function trackable(shape: SymbolicShape): number | undefined {
  const ds = concreteDims(shape);
  if (!ds) return undefined;
  const n = ds.reduce((a, b) => a * b, 1);
  return n <= MAX_TRACKED_VALUES ? n : undefined;
}
