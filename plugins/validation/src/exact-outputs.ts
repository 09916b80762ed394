import type { OutputVerdict, TensorData } from '@modelport/core';

const INTEGER_DTYPES = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'bool']);

/** Outputs that hold counts, classes or indices: one off is a different answer, so no tolerance applies. */
export function isIntegerOutput(dtype: string): boolean {
  return INTEGER_DTYPES.has(dtype);
}

/**
 * Judges an integer output: it passes only when every value equals the source's. The problem names
 * how many values differ and the first one ("3 of 100 values differ; first at [0, 7]: 12, the source 4").
 */
export function judgeExactly(output: string, actual: TensorData, reference: TensorData): OutputVerdict {
  const shape = reference.shape;
  const base = { output, shape, maxAbsRef: maxAbs(reference), reference: 'primary' as const };
  if (actual.shape.join(',') !== shape.join(',')) {
    return { ...base, maxAbsDiff: Infinity, cosine: 0, ok: false, status: 'FAIL', problem: `shape [${actual.shape}] differs from the source's [${shape}]` };
  }
  const a = actual.data as ArrayLike<number | bigint>, r = reference.data as ArrayLike<number | bigint>;
  let differ = 0, first = -1, maxAbsDiff = 0;
  for (let i = 0; i < r.length; i++) {
    if (Number(a[i]) === Number(r[i])) continue;
    differ++;
    if (first < 0) first = i;
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(Number(a[i]) - Number(r[i])));
  }
  if (differ === 0) return { ...base, maxAbsDiff: 0, cosine: 1, ok: true, status: 'pass' };
  const problem = `integer output: ${differ} of ${r.length} values differ from the source's; first at [${indexOf(first, shape)}]: ${Number(a[first])}, the source ${Number(r[first])}`;
  return { ...base, maxAbsDiff, cosine: 0, ok: false, status: 'FAIL', problem };
}

function maxAbs(t: TensorData): number {
  const d = t.data as ArrayLike<number | bigint>;
  let m = 0;
  for (let i = 0; i < d.length; i++) m = Math.max(m, Math.abs(Number(d[i])));
  return m;
}

/** The multi-index of flat index `flat` in `shape`. */
function indexOf(flat: number, shape: readonly number[]): number[] {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) { index.unshift(flat % shape[d]!); flat = Math.floor(flat / shape[d]!); }
  return index;
}
