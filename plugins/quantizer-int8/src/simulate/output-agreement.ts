import type { TensorData } from '@modelport/core';

/** How close the simulated outputs are to the float ones. */
export interface SimulatedAccuracy {
  /** Cosine similarity of each output over all samples; the lowest over the outputs. */
  readonly cosine: number;
  /** Share of rows whose argmax agrees, for outputs shaped [N, C] with C > 1; the lowest over them. */
  readonly top1?: number;
  readonly samples: number;
}

function argmaxRows(t: TensorData): number[] {
  const [rows, cols] = t.shape as [number, number];
  const d = t.data as ArrayLike<number>;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < cols; c++) if (d[r * cols + c]! > d[r * cols + best]!) best = c;
    return best;
  });
}

/** `reference[s][o]` and `simulated[s][o]`: output o of sample s. */
export function outputAgreement(reference: readonly (readonly TensorData[])[], simulated: readonly (readonly TensorData[])[]): SimulatedAccuracy {
  const outputs = reference[0]?.length ?? 0;
  let cosine = 1;
  let top1: number | undefined;
  for (let o = 0; o < outputs; o++) {
    let dot = 0, na = 0, nr = 0, agree = 0, rows = 0;
    let classifier = true;
    reference.forEach((sample, s) => {
      const r = sample[o]!, a = simulated[s]![o]!;
      const rd = r.data as ArrayLike<number>, ad = a.data as ArrayLike<number>;
      for (let i = 0; i < rd.length; i++) {
        const x = Number(ad[i]), y = Number(rd[i]);
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        dot += x * y; na += x * x; nr += y * y;
      }
      classifier &&= r.shape.length === 2 && r.shape[1]! > 1;
      if (classifier) {
        const want = argmaxRows(r), got = argmaxRows(a);
        want.forEach((c, i) => { agree += c === got[i] ? 1 : 0; });
        rows += want.length;
      }
    });
    cosine = Math.min(cosine, na === 0 && nr === 0 ? 1 : dot / (Math.sqrt(na) * Math.sqrt(nr) || 1));
    if (classifier && rows > 0) top1 = Math.min(top1 ?? 1, agree / rows);
  }
  return { cosine, ...(top1 !== undefined ? { top1 } : {}), samples: reference.length };
}
