import { attr } from '../attrs.js';
import type { Node } from '../types.js';

const BOOL_OPS: ReadonlySet<string> = new Set(['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr', 'LogicalNot', 'IsNan']);

/** The dtype of a node's first output as its attributes state it; `fallback` (the first input's) otherwise. */
export function outputDType(node: Node, fallback: string): string {
  if (BOOL_OPS.has(node.op)) return 'bool';
  switch (node.op) {
    case 'Cast': return attr.dtype(node, 'DstT', fallback);
    case 'Shape': case 'Size': case 'Rank': return attr.dtype(node, 'out_type', 'int32');
    case 'Range': return attr.dtype(node, 'Tidx', fallback);
    case 'ArgMax': case 'ArgMin': return attr.dtype(node, 'output_type', 'int64');
  }
  for (const key of ['T', 'dtype', 'Tparams']) if (attr.has(node, key) && 'type' in node.attrs[key]!) return attr.dtype(node, key);
  return fallback;
}
