import { ServingError } from '../errors.js';

export interface FlatValues {
  readonly shape: number[];
  readonly values: unknown[];
}

/** A leaf is anything that is not an array: a number, a string, a bool, or a {"b64": …} object. */
function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

/**
 * The shape and row-major values of a nested JSON array, refusing ragged nesting and more than
 * `maxElements` values (checked from the shape, before anything is copied).
 */
export function flattenNested(value: unknown, where: string, maxElements: number): FlatValues {
  const shape = shapeOf(value);
  const count = shape.reduce((n, d) => n * d, 1);
  if (count > maxElements) {
    throw new ServingError('INVALID_ARGUMENT', `${where} has ${count} elements, more than the limit of ${maxElements} (limits.maxTensorElements)`);
  }
  const values: unknown[] = new Array(count);
  let at = 0;
  const walk = (v: unknown, depth: number, index: string) => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new ServingError('INVALID_ARGUMENT', `${where} is ragged: ${index || 'the value'} is a list where a value was expected (shape ${JSON.stringify(shape)})`);
      values[at++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? `${v.length} values` : 'a single value';
      throw new ServingError('INVALID_ARGUMENT', `${where} is ragged: ${index || 'the value'} has ${got}, expected ${shape[depth]} (shape ${JSON.stringify(shape)})`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${index}[${i}]`);
  };
  walk(value, 0, '');
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
