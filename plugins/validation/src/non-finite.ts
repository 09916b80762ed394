import type { TensorData } from '@modelport/core';

/**
 * Notes for source outputs whose values are all NaN or ±Infinity: an artifact that gives the same
 * compares as "max |Δ| 0", which says nothing about the model. Typically its weights are broken.
 */
export function nonFiniteOutputNotes(outputs: Readonly<Record<string, TensorData>>): string[] {
  const notes: string[] = [];
  for (const [name, t] of Object.entries(outputs)) {
    if (typeof t.data[0] !== 'number' && typeof t.data[0] !== 'bigint') continue; // strings, empty
    const values = t.data as ArrayLike<number>;
    let nan = 0, inf = 0;
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (Number.isNaN(v)) nan++;
      else if (!Number.isFinite(v)) inf++;
      else break;
    }
    if (nan + inf !== values.length) continue;
    const what = inf === 0 ? 'NaN' : nan === 0 ? '±Infinity' : 'NaN or ±Infinity';
    notes.push(`warning: the source's output "${name}" is all ${what} (${values.length} values) on the validation inputs, so validation compared nothing; check the model's weights`);
  }
  return notes;
}
