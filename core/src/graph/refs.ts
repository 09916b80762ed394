import type { TensorRef } from './types.js';

export interface ParsedTensorRef {
  readonly node: string;
  readonly index: number;
}

/** "conv1:2" → { node: "conv1", index: 2 }; "conv1" → index 0. */
export function parseTensorRef(ref: string): ParsedTensorRef {
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? { node: m[1]!, index: Number(m[2]) } : { node: ref, index: 0 };
}

export function tensorRef(node: string, index = 0): TensorRef {
  return `${node}:${index}`;
}

/** The canonical form of a reference: always with its output index. */
export function normalizeTensorRef(ref: string): TensorRef {
  const { node, index } = parseTensorRef(ref);
  return tensorRef(node, index);
}
