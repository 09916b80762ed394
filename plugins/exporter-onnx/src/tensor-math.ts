import { allocValues, type DType, type TypedArray } from '@modelport/core';

/** Row-major strides of a shape. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]!; }
  return s;
}

/**
 * Transposes constant data at export time (weights HWIO → OIHW, constants of a sunk transpose),
 * so that no Transpose node runs on them at inference time. out.dims[i] = dims[perm[i]].
 */
export function transposeData<T extends TypedArray>(data: T, dims: readonly number[], perm: readonly number[]): T {
  const outDims = perm.map((p) => dims[p]!);
  const inStrides = stridesOf(dims);
  const size = data.length;
  const out = new (data.constructor as new (n: number) => T)(size);
  const rank = dims.length;
  const idx = new Array<number>(rank).fill(0);
  const stepIn = perm.map((p) => inStrides[p]!);
  let src = 0;
  for (let o = 0; o < size; o++) {
    (out as TypedArray)[o] = (data as TypedArray)[src]!;
    // Odometer over the output index, moving the source offset by the permuted strides.
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      src += stepIn[a]!;
      if (idx[a]! < outDims[a]!) break;
      src -= stepIn[a]! * outDims[a]!;
      idx[a] = 0;
    }
  }
  return out;
}

/** A typed array of `dtype` holding `values` (numbers; bigint for int64). */
export function typedArrayOf(dtype: string, values: ArrayLike<number>): TypedArray {
  const out = allocValues(dtype as DType, values.length);
  if (out instanceof BigInt64Array) for (let i = 0; i < values.length; i++) out[i] = BigInt(Math.trunc(values[i]!));
  else out.set(values);
  return out;
}

/** Numbers of a typed array (int64 as numbers: shapes and indices fit). */
export function numbersOf(data: TypedArray): number[] {
  return Array.from(data as ArrayLike<number | bigint>, Number);
}
