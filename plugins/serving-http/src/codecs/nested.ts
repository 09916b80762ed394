import { ServingError } from '../errors.js';

/** Deepest nesting a request may send, whatever the signature says (TensorFlow's own rank limit is 254; real inputs stay far below). */
export const MAX_NESTING = 64;

export interface FlatValues {
  readonly shape: number[];
  readonly values: unknown[];
}

/**
 * The shape of a nested JSON array, read along first elements. It stops with a 400 past
 * `maxRank` levels, so that arrays nested 100,000 deep never reach a recursive walk.
 * A leaf is anything that is not an array: a number, a string, a bool, or a {"b64": …} object.
 */
export function nestedShape(value: unknown, where: string, maxRank: number): number[] {
  const limit = Math.min(maxRank, MAX_NESTING);
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) {
    if (shape.length === limit) {
      throw new ServingError('INVALID_ARGUMENT', `${where} is nested more than ${limit} levels deep${limit < MAX_NESTING ? `, deeper than the input's rank ${limit}` : ''}`);
    }
    shape.push(v.length);
  }
  return shape;
}

/** Refuses a shape with a 0 dimension: no runtime answers an empty tensor the same way, so none is sent to one. */
export function checkNotEmpty(shape: readonly number[], where: string): void {
  if (shape.includes(0)) {
    throw new ServingError('INVALID_ARGUMENT', `${where} has shape [${shape.join(', ')}]: a dimension of 0 (no values) cannot be served; send at least one value`);
  }
}

/**
 * Calls `visit` with each leaf of a nested JSON array of `shape`, in row-major order, refusing
 * ragged nesting. The walk goes `shape.length` levels deep, no further.
 */
export function visitNested(value: unknown, shape: readonly number[], where: string, visit: (index: number, leaf: unknown) => void): void {
  let at = 0;
  const path: number[] = []; // the position being read, spelled out only in an error
  const ragged = (what: string): never => {
    const index = path.map((i) => `[${i}]`).join('');
    throw new ServingError('INVALID_ARGUMENT', `${where} is ragged: ${index || 'the value'} ${what} (shape ${JSON.stringify(shape)})`);
  };
  const walk = (v: unknown, depth: number) => {
    if (depth === shape.length) {
      if (Array.isArray(v)) ragged('is a list where a value was expected');
      visit(at++, v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) ragged(`has ${Array.isArray(v) ? `${v.length} values` : 'a single value'}, expected ${shape[depth]}`);
    const list = v as unknown[];
    path.push(0);
    for (let i = 0; i < list.length; i++) {
      path[depth] = i;
      walk(list[i], depth + 1);
    }
    path.pop();
  };
  walk(value, 0);
}

/**
 * The shape and row-major values of a nested JSON array, refusing ragged nesting, nesting past
 * `maxRank` and more than `maxElements` values (checked from the shape, before anything is copied).
 */
export function flattenNested(value: unknown, where: string, maxElements: number, maxRank = MAX_NESTING): FlatValues {
  const shape = nestedShape(value, where, maxRank);
  const count = shape.reduce((n, d) => n * d, 1);
  if (count > maxElements) {
    throw new ServingError('INVALID_ARGUMENT', `${where} has ${count} elements, more than the limit of ${maxElements} (limits.maxTensorElements)`);
  }
  const values: unknown[] = new Array(count);
  visitNested(value, shape, where, (i, leaf) => { values[i] = leaf; });
  return { shape, values };
}

/** Nested JSON arrays of `shape` from row-major values (a scalar for shape []). */
export function nestValues<T>(values: ArrayLike<T>, shape: readonly number[], offset = 0): unknown {
  if (shape.length === 0) return values[offset];
  const build = (depth: number, start: number): unknown[] => {
    const n = shape[depth]!;
    if (depth === shape.length - 1) return Array.from({ length: n }, (_, i) => values[start + i]);
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => build(depth + 1, start + i * stride));
  };
  return build(0, offset);
}
