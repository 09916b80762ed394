import type { TensorData } from './tensor-data.js';

/** How close one output of an artifact is to the source's. */
export interface OutputComparison {
  readonly output: string;
  readonly shape: readonly number[];
  readonly maxAbsDiff: number;
  /** Largest |value| of the reference, so that tolerances can be relative. */
  readonly maxAbsRef: number;
  readonly cosine: number;
  readonly ok: boolean;
  readonly problem?: string;
}

/** The validation of one artifact; export.json keeps it. */
export interface ValidationReport {
  readonly target: string;
  readonly runtime: string;
  readonly tolerance: number;
  readonly outputs: readonly OutputComparison[];
  readonly ok: boolean;
  /** Largest max|Δ|/max|ref| over the outputs. */
  readonly worstRelativeDiff: number;
}

function toNumbers(t: TensorData): Float64Array {
  const d = t.data as ArrayLike<number | bigint | string>;
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  return out;
}

/**
 * Compares an output with its reference: max |Δ| and cosine similarity. `tolerance` is relative to
 * max |ref| (an output that is all zeros is compared absolutely). NaN in the same places agrees.
 */
export function compareTensors(output: string, actual: TensorData, reference: TensorData, tolerance: number): OutputComparison {
  const shape = reference.shape;
  if (actual.shape.join(',') !== reference.shape.join(',')) {
    return { output, shape, maxAbsDiff: Infinity, maxAbsRef: 0, cosine: 0, ok: false, problem: `shape [${actual.shape}] differs from the source's [${reference.shape}]` };
  }
  const a = toNumbers(actual);
  const r = toNumbers(reference);
  let maxAbsDiff = 0, maxAbsRef = 0, dot = 0, na = 0, nr = 0, mismatchedNaN = 0;
  for (let i = 0; i < r.length; i++) {
    const x = a[i]!, y = r[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) { if (Number.isNaN(x) !== Number.isNaN(y)) mismatchedNaN++; continue; }
    if (x === y) { // equal infinities too
      if (Number.isFinite(y)) { maxAbsRef = Math.max(maxAbsRef, Math.abs(y)); dot += x * y; na += x * x; nr += y * y; }
      continue;
    }
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - y));
    maxAbsRef = Math.max(maxAbsRef, Math.abs(y));
    dot += x * y; na += x * x; nr += y * y;
  }
  const cosine = na === 0 && nr === 0 ? 1 : dot / (Math.sqrt(na) * Math.sqrt(nr) || 1);
  const allowed = tolerance * (maxAbsRef > 0 ? maxAbsRef : 1);
  const ok = mismatchedNaN === 0 && maxAbsDiff <= allowed;
  return {
    output, shape, maxAbsDiff, maxAbsRef, cosine, ok,
    ...(mismatchedNaN ? { problem: `${mismatchedNaN} value(s) are NaN on one side only` } : {}),
    ...(!ok && !mismatchedNaN ? { problem: `max |Δ| ${maxAbsDiff.toExponential(3)} exceeds ${tolerance} × max|ref| ${maxAbsRef.toExponential(3)}` } : {}),
  };
}

export function relativeDiff(c: OutputComparison): number {
  return c.maxAbsRef > 0 ? c.maxAbsDiff / c.maxAbsRef : c.maxAbsDiff;
}
