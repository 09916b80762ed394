import type { AccuracyTarget } from '../graph/quantization/modes.js';
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
  /** The max|Δ| allowed relative to max|ref|; null when outputs were not judged by it (integer modes measure accuracy). */
  readonly tolerance: number | null;
  readonly outputs: readonly (OutputComparison | OutputVerdict)[];
  readonly ok: boolean;
  /** Largest max|Δ|/max|ref| over the outputs. */
  readonly worstRelativeDiff: number;
  /** Integer modes (dynamic, int8, int8-full): the accuracy measured in the runtime against the source. */
  readonly accuracy?: AccuracyReport;
  /**
   * Exports with module signatures: each signature validated, by key; `outputs` then name theirs
   * "<signature>/<output>". Absent when the export asked for no module signatures.
   */
  readonly signatures?: Readonly<Record<string, SignatureValidation>>;
}

/** How one signature of an artifact was validated: its stages, the input shapes fed, and whether every output agreed. */
export interface SignatureValidation {
  readonly stages?: readonly string[];
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly ok: boolean;
  /** Why the signature could not be compared at all (e.g. the artifact's runtime does not expose it). */
  readonly problem?: string;
}

/** How far an integer-quantized artifact's output is from the source's, over every sample. */
export interface OutputAccuracy {
  readonly output: string;
  /** Largest |artifact − source| over all samples. */
  readonly maxAbsDiff: number;
  readonly maxAbsRef: number;
  /** Cosine similarity of all samples' values taken as one vector. */
  readonly cosine: number;
  /** Classifier-like outputs ([…, C] with C > 1): the fraction of rows whose argmax agrees with the source's. */
  readonly top1?: number;
  /** The rows top-1 agreement counted. */
  readonly rows?: number;
}

/** The accuracy of one artifact measured in its runtime, and the target it was held to. */
export interface AccuracyReport {
  /** Where the samples came from: set apart by the quantizer, --inputs, or seeded noise. */
  readonly inputs: 'held-out' | 'inputs file' | 'random';
  readonly samples: number;
  readonly outputs: readonly OutputAccuracy[];
  /** --accuracy-target, when given; the export fails when the artifact misses it. */
  readonly target?: AccuracyTarget;
  readonly met?: boolean;
}

/** Outputs whose last axis holds scores of several classes: rank ≥ 2, last dimension > 1. */
export function isClassifierShape(shape: readonly number[]): boolean {
  return shape.length >= 2 && shape[shape.length - 1]! > 1;
}

/** The index of the largest value of each row (the last axis); the first one on ties. */
export function argmaxRows(t: TensorData): Int32Array {
  const classes = t.shape[t.shape.length - 1]!;
  const d = t.data as ArrayLike<number>;
  const rows = Math.floor(d.length / classes);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (Number(d[r * classes + c]) > Number(d[r * classes + best])) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * Top-1 agreement of a classifier-like output with its reference: rows (argmax over the last axis)
 * that agree, out of all rows. Undefined when the output is not classifier-like or shapes differ.
 */
export function top1Agreement(actual: TensorData, reference: TensorData): { agree: number; rows: number } | undefined {
  if (!isClassifierShape(reference.shape) || actual.shape.join(',') !== reference.shape.join(',')) return undefined;
  const a = argmaxRows(actual), r = argmaxRows(reference);
  let agree = 0;
  for (let i = 0; i < r.length; i++) if (a[i] === r[i]) agree++;
  return { agree, rows: r.length };
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

/** How an output passed (or not): strictly, or by one of the stated rules for an uncertain reference. */
export type OutputStatus = 'pass' | 'pass (near zero)' | 'pass (tfjs cpu)' | 'pass (backend noise)' | 'FAIL';

/** Outputs whose reference never exceeds this are compared with the absolute floor below. */
export const NEAR_ZERO_REFERENCE = 1e-2;
export const NEAR_ZERO_ABSOLUTE_TOLERANCE = 1e-6;

export interface OutputVerdict extends OutputComparison {
  readonly status: OutputStatus;
  /** Which reference decided: the source on the usual backend, or on tfjs cpu. */
  readonly reference: 'primary' | 'tfjs cpu';
  readonly note?: string;
}

/**
 * Judges one output against the source, with rules for a reference that is itself uncertain:
 * 1. pass: max|Δ| ≤ tolerance × max|ref|;
 * 2. pass (near zero): max|ref| < 1e-2 and max|Δ| ≤ 1e-6 (saturated sigmoids: 5e-8 in one runtime, 0 in another);
 * 3. pass (tfjs cpu): it meets the tolerance against the source run on tfjs cpu, which disagrees
 *    with the usual backend there (wasm casts float to bool by truncation, TensorFlow and cpu by ≠ 0);
 * 4. pass (backend noise): max|Δ| ≤ tolerance × max|ref| + 2 × |primary − cpu|: the source's own
 *    float32 summation-order noise is that large (long Relu6 chains).
 * The cpu reference is computed only when rules 1–2 fail.
 */
export async function judgeOutput(
  output: string, actual: TensorData, reference: TensorData, cpuReference: () => Promise<TensorData>, tolerance: number,
): Promise<OutputVerdict> {
  const strict = compareTensors(output, actual, reference, tolerance);
  if (strict.ok) return { ...strict, status: 'pass', reference: 'primary' };
  const nanProblem = strict.problem?.includes('NaN') || !Number.isFinite(strict.maxAbsDiff);
  if (!nanProblem && strict.maxAbsRef < NEAR_ZERO_REFERENCE && strict.maxAbsDiff <= NEAR_ZERO_ABSOLUTE_TOLERANCE) {
    return { ...strict, ok: true, status: 'pass (near zero)', reference: 'primary', note: `Δ ${strict.maxAbsDiff.toExponential(2)} at max |ref| ${strict.maxAbsRef.toExponential(2)}` };
  }
  if (nanProblem) return { ...strict, status: 'FAIL', reference: 'primary' };
  const cpu = await cpuReference();
  const vsCpu = compareTensors(output, actual, cpu, tolerance);
  const spread = compareTensors(output, reference, cpu, tolerance).maxAbsDiff;
  if (vsCpu.ok) return { ...vsCpu, status: 'pass (tfjs cpu)', reference: 'tfjs cpu', note: `the source on tfjs cpu and on its usual backend differ by ${spread.toExponential(2)}` };
  if (strict.maxAbsDiff <= tolerance * strict.maxAbsRef + 2 * spread) {
    return { ...strict, ok: true, status: 'pass (backend noise)', reference: 'primary', note: `Δ ${strict.maxAbsDiff.toExponential(2)} within 2 × the source's backend spread ${spread.toExponential(2)}` };
  }
  return { ...strict, status: 'FAIL', reference: 'primary', note: `against tfjs cpu: ${vsCpu.problem ?? 'ok'}` };
}
