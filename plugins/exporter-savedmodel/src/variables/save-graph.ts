import { attrValue, type AttrValue, type DType } from '@modelport/core';
import { constNode, node, numberTensor, stringTensor, type ConstNode } from './ir-nodes.js';
import type { Node } from '@modelport/core';

export interface SavedVariable {
  /** The VarHandleOp's name, also the tensor's key in the checkpoint. */
  readonly name: string;
  readonly dtype: DType;
  /** The tensor holding its current value (the ReadVariableOp). */
  readonly read: string;
}

const CPU = '/device:CPU:0';
const ANY_CPU = '/device:CPU:*';
const str = attrValue.dtype('string');

/**
 * The save and restore subgraph tf.compat.v1.train.Saver(sharded=True) writes under `prefix`
 * (the fixture tf1-variables-mlp): a filename tensor, SaveV2 of every variable into a sharded
 * temp name then MergeV2Checkpoints, RestoreV2 then AssignVariableOp of each. TensorFlow Serving
 * and the TF1 loader restore variables/variables by running `<prefix>/restore_all` with the
 * filename fed; `saverDef` tells them those names.
 */
export function saveGraph(prefix: string, variables: readonly SavedVariable[]): { nodes: Node[]; constants: ConstNode[]; saverDef: Record<string, unknown> } {
  const sorted = [...variables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const p = (s: string) => `${prefix}/${s}`;
  const dtypes: AttrValue = attrValue.dtypes(sorted.map((v) => v.dtype));
  const constants = [
    constNode(p('filename/input'), stringTensor(['model'])),
    constNode(p('Const_1'), stringTensor(['.part']), ANY_CPU),
    constNode(p('Const_2'), stringTensor(['_temp/part']), ANY_CPU),
    constNode(p('num_shards'), numberTensor('int32', [1])),
    constNode(p('ShardedFilename/shard'), numberTensor('int32', [0]), CPU),
    constNode(p('SaveV2/tensor_names'), stringTensor(sorted.map((v) => v.name), [sorted.length]), CPU),
    constNode(p('SaveV2/shape_and_slices'), stringTensor(sorted.map(() => ''), [sorted.length]), CPU),
    constNode(p('RestoreV2/tensor_names'), stringTensor(sorted.map((v) => v.name), [sorted.length]), CPU),
    constNode(p('RestoreV2/shape_and_slices'), stringTensor(sorted.map(() => ''), [sorted.length]), CPU),
  ];
  const scalarString = { dtype: str, shape: attrValue.shape([]) };
  const nodes: Node[] = [
    node(p('filename'), 'PlaceholderWithDefault', [p('filename/input:0')], scalarString),
    node(p('Const'), 'PlaceholderWithDefault', [p('filename:0')], scalarString),
    node(p('StaticRegexFullMatch'), 'StaticRegexFullMatch', [p('Const:0')], { pattern: attrValue.string('^s3://.*') }, { device: ANY_CPU }),
    node(p('Select'), 'Select', [p('StaticRegexFullMatch:0'), p('Const_1:0'), p('Const_2:0')], { T: str }, { device: ANY_CPU }),
    node(p('StringJoin'), 'StringJoin', [p('Const:0'), p('Select:0')], { N: attrValue.int(2), separator: attrValue.string('') }, { device: ANY_CPU }),
    node(p('ShardedFilename'), 'ShardedFilename', [p('StringJoin:0'), p('ShardedFilename/shard:0'), p('num_shards:0')], {}, { device: CPU }),
    node(p('SaveV2'), 'SaveV2', [p('ShardedFilename:0'), p('SaveV2/tensor_names:0'), p('SaveV2/shape_and_slices:0'), ...sorted.map((v) => v.read)], { dtypes }, { device: CPU }),
    node(p('control_dependency'), 'Identity', [p('ShardedFilename:0')], { T: str }, { controlInputs: [p('SaveV2')], device: CPU }),
    node(p('MergeV2Checkpoints/checkpoint_prefixes'), 'Pack', [p('ShardedFilename:0')], { N: attrValue.int(1), T: str, axis: attrValue.int(0) }, { controlInputs: [p('control_dependency')], device: CPU }),
    node(p('MergeV2Checkpoints'), 'MergeV2Checkpoints', [p('MergeV2Checkpoints/checkpoint_prefixes:0'), p('Const:0')], {}, { device: CPU }),
    node(p('Identity'), 'Identity', [p('Const:0')], { T: str }, { controlInputs: [p('MergeV2Checkpoints'), p('control_dependency')], device: CPU }),
    node(p('RestoreV2'), 'RestoreV2', [p('Const:0'), p('RestoreV2/tensor_names:0'), p('RestoreV2/shape_and_slices:0')], { dtypes }, { device: CPU }),
  ];
  const assigns: string[] = [];
  sorted.forEach((v, i) => {
    const identity = p(`Identity_${i + 1}`);
    const assign = p(i === 0 ? 'AssignVariableOp' : `AssignVariableOp_${i}`);
    nodes.push(node(identity, 'Identity', [p(`RestoreV2:${i}`)], { T: attrValue.dtype(v.dtype) }));
    nodes.push(node(assign, 'AssignVariableOp', [`${v.name}:0`, `${identity}:0`], { dtype: attrValue.dtype(v.dtype) }));
    assigns.push(assign);
  });
  nodes.push(node(p('restore_shard'), 'NoOp', [], {}, { controlInputs: assigns }));
  nodes.push(node(p('restore_all'), 'NoOp', [], {}, { controlInputs: [p('restore_shard')] }));
  return {
    nodes, constants,
    saverDef: {
      filenameTensorName: p('Const:0'), saveTensorName: p('Identity:0'), restoreOpName: p('restore_all'),
      maxToKeep: 5, sharded: true, keepCheckpointEveryNHours: 10000, version: 'V2',
    },
  };
}
