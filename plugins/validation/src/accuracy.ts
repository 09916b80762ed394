import { top1Agreement, type AccuracyTarget, type OutputAccuracy, type TensorData } from '@modelport/core';

/** One output of one sample: what the artifact answered (real values) and what the source did. */
export interface OutputPair {
  readonly actual: TensorData;
  readonly reference: TensorData;
}

/**
 * The accuracy of one output over all samples: max |Δ|, the cosine of all values taken as one
 * vector, and top-1 agreement for classifier-like outputs. A sample whose shape differs counts as
 * a cosine of 0 and no agreement, so that it cannot pass unseen.
 */
export function measureOutput(output: string, pairs: readonly OutputPair[]): OutputAccuracy {
  let maxAbsDiff = 0, maxAbsRef = 0, dot = 0, na = 0, nr = 0, agree = 0, rows = 0, classifier = false, mismatched = false;
  for (const { actual, reference } of pairs) {
    if (actual.shape.join(',') !== reference.shape.join(',')) { mismatched = true; continue; }
    const a = actual.data as ArrayLike<number>, r = reference.data as ArrayLike<number>;
    for (let i = 0; i < r.length; i++) {
      const x = Number(a[i]), y = Number(r[i]);
      if (Number.isNaN(x) || Number.isNaN(y)) { if (Number.isNaN(x) !== Number.isNaN(y)) maxAbsDiff = Infinity; continue; }
      if (x !== y) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - y));
      if (!Number.isFinite(y)) continue;
      maxAbsRef = Math.max(maxAbsRef, Math.abs(y));
      dot += x * y; na += x * x; nr += y * y;
    }
    const top1 = top1Agreement(actual, reference);
    if (top1) { classifier = true; agree += top1.agree; rows += top1.rows; }
  }
  if (mismatched) return { output, maxAbsDiff: Infinity, maxAbsRef, cosine: 0, ...(classifier ? { top1: 0, rows } : {}) };
  const cosine = na === 0 && nr === 0 ? 1 : dot / (Math.sqrt(na) * Math.sqrt(nr) || 1);
  return { output, maxAbsDiff, maxAbsRef, cosine, ...(classifier ? { top1: rows ? agree / rows : 1, rows } : {}) };
}

/** Why an output misses the accuracy target, or undefined when it meets it (or the metric does not apply to it). */
export function missedTarget(o: OutputAccuracy, target: AccuracyTarget): string | undefined {
  const value = target.metric === 'cosine' ? o.cosine : o.top1;
  if (value === undefined || value >= target.value) return undefined;
  return `${target.metric === 'cosine' ? 'cosine' : 'top-1 agreement'} ${formatMetric(value)} misses the accuracy target ${target.metric}=${target.value}`;
}

/** 4 decimals, 6 near 1 (a cosine of 0.99998 is not 1). */
export function formatMetric(value: number): string {
  return value === 1 ? '1' : value.toFixed(value > 0.999 ? 6 : 4);
}

/** "cosine 0.9991, top-1 0.985 (394/400), max |Δ| 1.2e-2" */
export function describeAccuracy(o: OutputAccuracy): string {
  const top1 = o.top1 === undefined ? '' : `, top-1 ${formatMetric(o.top1)} (${Math.round(o.top1 * o.rows!)}/${o.rows})`;
  return `cosine ${formatMetric(o.cosine)}${top1}, max |Δ| ${o.maxAbsDiff.toExponential(2)}`;
}
