import type { TensorData, TypedArray } from '@modelport/core';

type Values = TypedArray | readonly unknown[];

/** Rows of a tensor (its first dimension); a scalar has none. */
export function rowsOf(t: TensorData): number | undefined {
  return t.shape.length ? t.shape[0] : undefined;
}

/** Stacks tensors of equal inner shape and dtype along axis 0. */
export function concatRows(parts: readonly TensorData[]): TensorData {
  const first = parts[0]!;
  const rows = parts.reduce((n, p) => n + p.shape[0]!, 0);
  const shape = [rows, ...first.shape.slice(1)];
  if (Array.isArray(first.data)) {
    return { dtype: first.dtype, shape, data: parts.flatMap((p) => p.data as readonly string[]) };
  }
  const data = first.data as TypedArray;
  const total = parts.reduce((n, p) => n + (p.data as TypedArray).length, 0);
  const out = new (data.constructor as new (n: number) => TypedArray)(total);
  let at = 0;
  for (const p of parts) {
    (out as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(p.data as ArrayLike<unknown>, at);
    at += (p.data as TypedArray).length;
  }
  return { dtype: first.dtype, shape, data: out };
}

/** Rows [start, start + count) of a tensor, as a new tensor that does not share memory. */
export function sliceRows(t: TensorData, start: number, count: number): TensorData {
  const rows = t.shape[0]!;
  const values = t.data as Values;
  const stride = rows === 0 ? 0 : values.length / rows; // complex64 has two floats per element
  const data = Array.isArray(values)
    ? values.slice(start * stride, (start + count) * stride)
    : (values as TypedArray).slice(start * stride, (start + count) * stride);
  return { dtype: t.dtype, shape: [count, ...t.shape.slice(1)], data: data as TensorData['data'] };
}
