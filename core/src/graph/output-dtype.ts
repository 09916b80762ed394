import type { Node } from './types.js';

const BOOL_OPS = new Set(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'LogicalAnd', 'LogicalOr', 'LogicalNot', 'IsNan', 'IsFinite', 'IsInf']);
const INT_OPS = new Set(['Where', 'NonMaxSuppressionV2', 'NonMaxSuppressionV3', 'NonMaxSuppressionV4']);

/**
 * The IR dtype of output `index` of a node, from its attributes as TensorFlow defines them.
 * `inputDType` gives the dtype of an input (for ops whose type follows their first input).
 */
export function outputDType(node: Node, index: number, inputDType: (i: number) => string | undefined): string | undefined {
  const { op } = node;
  if (BOOL_OPS.has(op)) return 'bool';
  if (INT_OPS.has(op)) return 'int32';
  switch (op) {
    case 'Cast': return typeAttr(node, 'DstT');
    case 'Shape': case 'ShapeN': case 'Size': case 'Rank': return typeAttr(node, 'out_type') ?? 'int32';
    case 'ArgMax': case 'ArgMin': return typeAttr(node, 'output_type') ?? 'int64';
    case 'TopKV2': return index === 1 ? 'int32' : inputDType(0);
    case 'Unique': return index === 1 ? typeAttr(node, 'out_idx') ?? 'int32' : inputDType(0);
    case 'NonMaxSuppressionV5': return index === 1 ? inputDType(1) : 'int32';
    case 'Range': return typeAttr(node, 'Tidx') ?? inputDType(0);
    case 'Fill': return inputDType(1);
    case 'TensorListGetItem': case 'TensorListStack': case 'TensorListFromTensor': return typeAttr(node, 'element_dtype');
    case 'Const': case 'Placeholder': case 'PlaceholderWithDefault': return typeAttr(node, 'dtype');
    default: break;
  }
  return typeAttr(node, 'T') ?? typeAttr(node, 'dtype') ?? inputDType(0);
}

function typeAttr(node: Node, name: string): string | undefined {
  const v = node.attrs[name];
  return v && 'type' in v ? v.type : undefined;
}
