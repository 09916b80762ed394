import type { TensorData } from '@modelport/core';

export interface TopK {
  /** [batch, k] class indices and their scores, best first. */
  readonly classes: Int32Array;
  readonly scores: Float32Array;
  readonly k: number;
}

function softmaxRow(row: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  const out = row.map((v) => Math.exp(v - max));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}

/** The k best classes of each row of a [batch, …classes] score tensor (inner dimensions flattened). */
export function topK(scores: TensorData, k: number, softmax: boolean): TopK {
  const batch = scores.shape[0] ?? 1;
  const data = Float32Array.from(scores.data as ArrayLike<number>);
  const classes = batch ? data.length / batch : 0;
  const kk = Math.min(k, classes);
  const outClasses = new Int32Array(batch * kk);
  const outScores = new Float32Array(batch * kk);
  for (let b = 0; b < batch; b++) {
    let row: Float32Array = data.subarray(b * classes, (b + 1) * classes);
    if (softmax) row = softmaxRow(row);
    const order = Array.from({ length: classes }, (_, i) => i).sort((i, j) => row[j]! - row[i]! || i - j);
    for (let i = 0; i < kk; i++) {
      outClasses[b * kk + i] = order[i]!;
      outScores[b * kk + i] = row[order[i]!]!;
    }
  }
  return { classes: outClasses, scores: outScores, k: kk };
}
