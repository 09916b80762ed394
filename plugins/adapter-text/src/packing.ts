/** One packed example: [CLS] a [SEP] (b [SEP]) and padding, as BERT models take it. */
export interface PackedInputs {
  readonly wordIds: Int32Array;
  readonly mask: Int32Array;
  readonly typeIds: Int32Array;
}

/**
 * Trims the longer segment one token at a time until both fit (BERT's _truncate_seq_pair,
 * "longest first"), so a long question does not push a short context out entirely.
 */
export function truncatePair(a: number[], b: number[] | undefined, budget: number): [number[], number[] | undefined] {
  const x = [...a];
  const y = b ? [...b] : undefined;
  while (x.length + (y?.length ?? 0) > budget) {
    if (y && y.length > x.length) y.pop(); else x.pop();
  }
  return [x, y];
}

export function packSegments(a: number[], b: number[] | undefined, length: number, ids: { start: number; separator: number; padding: number }): PackedInputs {
  const [x, y] = truncatePair(a, b, length - (b ? 3 : 2));
  const wordIds = new Int32Array(length).fill(ids.padding);
  const mask = new Int32Array(length);
  const typeIds = new Int32Array(length);
  const sequence = [ids.start, ...x, ids.separator, ...(y ? [...y, ids.separator] : [])];
  sequence.forEach((id, i) => {
    wordIds[i] = id;
    mask[i] = 1;
    typeIds[i] = i > x.length + 1 ? 1 : 0;
  });
  return { wordIds, mask, typeIds };
}
