import type { TensorData } from '@modelport/core';

/** Detection outputs whose rows are ranked by a score: `scores` is [..., N], each of `rows` is [..., N, k]. */
export interface RankedOutputs {
  readonly scores: string;
  readonly rows: readonly string[];
}

const numbers = (t: TensorData) => Array.from(t.data as ArrayLike<number>, Number);
const maxAbs = (values: readonly number[]) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Whether the artifact's detections are the source's, allowing rows whose scores differ by less
 * than `tolerance` × max|score| to come in the other order: float noise of 1e-7 decides the rank
 * of two candidates 3e-8 apart. Each artifact row i must match a distinct source row j tied with
 * the source's row i, with the same score and the same values in every ranked output. Returns the first row without a counterpart, or undefined when all match.
 */
export function unmatchedRankedRow(
  ranked: RankedOutputs, actual: Readonly<Record<string, TensorData>>, reference: Readonly<Record<string, TensorData>>, tolerance: number,
): string | undefined {
  const want = numbers(reference[ranked.scores]!), got = numbers(actual[ranked.scores]!);
  if (want.length !== got.length) return `${ranked.scores}: ${got.length} scores, the source has ${want.length}`;
  const scoreSlack = tolerance * (maxAbs(want) || 1);
  const rows = ranked.rows.map((name) => {
    const [w, g] = [numbers(reference[name]!), numbers(actual[name]!)];
    return { name, want: w, got: g, width: w.length / want.length, slack: tolerance * (maxAbs(w) || 1) };
  });
  const badShape = rows.find((r) => r.got.length !== r.want.length || !Number.isInteger(r.width));
  if (badShape) return `${badShape.name}: ${badShape.got.length} values, the source has ${badShape.want.length}`;
  const sameRow = (i: number, j: number) => rows.every((r) => {
    for (let k = 0; k < r.width; k++) if (Math.abs(r.got[i * r.width + k]! - r.want[j * r.width + k]!) > r.slack) return false;
    return true;
  });
  const used = new Set<number>();
  for (let i = 0; i < got.length; i++) {
    let match = -1;
    for (let j = 0; j < want.length && match < 0; j++) {
      // j must be tied with the source's row at i (only tied rows may swap) and hold the same detection.
      if (!used.has(j) && Math.abs(want[i]! - want[j]!) <= scoreSlack && Math.abs(got[i]! - want[j]!) <= scoreSlack && sameRow(i, j)) match = j;
    }
    if (match < 0) return `row ${i} (score ${got[i]}) matches no source row of the same score in ${[ranked.scores, ...ranked.rows].join(', ')}`;
    used.add(match);
  }
  return undefined;
}
