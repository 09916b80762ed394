import { ModelLoadError, parseTensorRef, type Node } from '@modelport/core';
import { constantFromTensorProto, type TensorProtoObject } from '../tensor-proto.js';
import type { NodeDefObject } from './saved-model-object.js';

/** Ops that hold a variable: resource handles (read by ReadVariableOp) and TF1 ref variables (read directly). */
export const RESOURCE_VARIABLE_OPS: ReadonlySet<string> = new Set(['VarHandleOp']);
export const REF_VARIABLE_OPS: ReadonlySet<string> = new Set(['VariableV2', 'Variable']);
const ASSIGN_OPS: ReadonlySet<string> = new Set(['Assign', 'AssignVariableOp']);
const PASS_THROUGH_OPS: ReadonlySet<string> = new Set(['Identity']);

/**
 * For each variable node, the key its value has in the tensor bundle: what the saver's RestoreV2
 * restores into it (tensor_names[i] → RestoreV2:i → Identity* → Assign/AssignVariableOp(variable)).
 * A variable no RestoreV2 reaches keeps its shared_name, or its node name, as TF1's Saver names it.
 */
export function variableBundleKeys(nodes: readonly Node[], defs: ReadonlyMap<string, NodeDefObject>): Map<string, string> {
  const keys = new Map<string, string>();
  const readers = new Map<string, Node[]>();
  for (const n of nodes) for (const r of n.inputs) {
    const producer = parseTensorRef(r).node;
    readers.set(producer, [...(readers.get(producer) ?? []), n]);
  }
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const restore of nodes.filter((n) => n.op === 'RestoreV2')) {
    const namesNode = byName.get(parseTensorRef(restore.inputs[1] ?? '').node);
    const proto = namesNode && defs.get(namesNode.name)?.attr?.value?.tensor as TensorProtoObject | undefined;
    if (!proto) continue;
    const names = tensorNames(constantFromTensorProto(proto, namesNode!.name), namesNode!.name, restore.name);
    names.forEach((key, index) => {
      const variable = assignedVariable(`${restore.name}:${index}`, readers, byName);
      if (variable) keys.set(variable, key);
    });
  }
  for (const n of nodes) {
    if (!RESOURCE_VARIABLE_OPS.has(n.op) && !REF_VARIABLE_OPS.has(n.op)) continue;
    if (keys.has(n.name)) continue;
    const shared = (n.attrs.shared_name as { s?: string } | undefined)?.s;
    keys.set(n.name, shared || n.name);
  }
  return keys;
}

/** The bundle keys a RestoreV2 reads: its tensor_names input must be a string constant. */
function tensorNames(constant: ReturnType<typeof constantFromTensorProto>, node: string, restore: string): string[] {
  if (constant.dtype !== 'string') {
    throw new ModelLoadError(`the tensor_names of RestoreV2 "${restore}" is a ${constant.dtype} constant, not strings: the saver's graph is corrupt`, { node, op: 'Const' });
  }
  return (constant.values as Uint8Array[]).map((b) => Buffer.from(b).toString('utf8'));
}

/** The variable a restored tensor ends in: followed through Identity nodes to the assignment that takes it. */
function assignedVariable(ref: string, readers: ReadonlyMap<string, Node[]>, byName: ReadonlyMap<string, Node>): string | undefined {
  let refs = [ref];
  for (let depth = 0; depth < 8 && refs.length; depth++) {
    const next: string[] = [];
    for (const r of refs) {
      const { node } = parseTensorRef(r);
      for (const reader of readers.get(node) ?? []) {
        const at = reader.inputs.indexOf(r);
        if (at < 0) continue;
        if (ASSIGN_OPS.has(reader.op) && at === 1) {
          const target = byName.get(parseTensorRef(reader.inputs[0]!).node);
          if (target) return target.name;
        }
        if (PASS_THROUGH_OPS.has(reader.op)) next.push(`${reader.name}:0`);
      }
    }
    refs = next;
  }
  return undefined;
}
