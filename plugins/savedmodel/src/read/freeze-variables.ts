import { attrValue, ModelLoadError, parseTensorRef, type ConstantTensor, type Node } from '@modelport/core';
import { REF_VARIABLE_OPS, RESOURCE_VARIABLE_OPS } from './variable-keys.js';

export interface FrozenVariables {
  readonly nodes: Node[];
  readonly constants: Map<string, ConstantTensor>;
  /** Bundle keys the graph reads, in node order. */
  readonly read: string[];
}

function constNode(name: string, value: ConstantTensor): Node {
  return { name, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype(value.dtype), value: { tensor: { dtype: value.dtype, shape: value.shape } } } };
}

/**
 * Every read of a variable becomes a Const holding the variable's value from the bundle: a
 * ReadVariableOp of a VarHandleOp, or a ref variable (VariableV2) itself, which its readers take
 * through an Identity. All variables missing from the bundle are reported at once.
 */
export function freezeVariables(nodes: readonly Node[], keys: ReadonlyMap<string, string>, bundle: ReadonlyMap<string, ConstantTensor> | undefined, bundleFile: string): FrozenVariables {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const constants = new Map<string, ConstantTensor>();
  const missing: string[] = [];
  const read: string[] = [];
  const valueOf = (variable: Node, reader: Node): ConstantTensor | undefined => {
    const key = keys.get(variable.name) ?? variable.name;
    const value = bundle?.get(key);
    if (!value) { missing.push(`"${variable.name}" (key "${key}")`); return undefined; }
    const wanted = (reader.attrs.dtype as { type?: string } | undefined)?.type;
    if (wanted && wanted !== value.dtype) {
      throw new ModelLoadError(`variable "${variable.name}" is read as ${wanted}, but the bundle holds "${key}" as ${value.dtype}`, { file: bundleFile, node: reader.name, op: reader.op });
    }
    read.push(key);
    return value;
  };
  const out = nodes.map((n) => {
    if (REF_VARIABLE_OPS.has(n.op)) {
      const value = valueOf(n, n);
      if (!value) return n;
      constants.set(n.name, value);
      return constNode(n.name, value);
    }
    if (n.op === 'ReadVariableOp') {
      const variable = byName.get(parseTensorRef(n.inputs[0] ?? '').node);
      if (!variable || !RESOURCE_VARIABLE_OPS.has(variable.op)) return n;
      const value = valueOf(variable, n);
      if (!value) return n;
      constants.set(n.name, value);
      return constNode(n.name, value);
    }
    return n;
  });
  if (missing.length) {
    const where = bundle ? 'has no entry for' : 'is missing, so it cannot give';
    throw new ModelLoadError(`the variables bundle ${where} ${missing.length} variable(s) the signatures read: ${missing.slice(0, 10).join(', ')}`, { file: bundleFile });
  }
  return { nodes: out, constants, read };
}
