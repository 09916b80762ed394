import { ModelLoadError } from '@modelport/core';
import { IF_OPS, ifAsSwitchMerge, WHILE_OPS, whileAsFrame, type InlineBody } from './functional-control-flow.js';
import type { ArgDefObject, FunctionDefObject, NodeDefObject, OpDefObject } from './saved-model-object.js';

/** Ops that call a function of the library with their inputs as its arguments: inlined. */
export const FUNCTION_CALL_OPS: ReadonlySet<string> = new Set(['StatefulPartitionedCall', 'PartitionedCall']);
const MAX_CALL_DEPTH = 32;

export interface InlinedGraph {
  /** The GraphDef's nodes with every call replaced by the called function's nodes ("call/node"). */
  readonly defs: NodeDefObject[];
  /** Resolves a tensor name of the GraphDef ("call:1") to the tensor that now computes it. */
  resolve(ref: string): string;
}

/** "x" → "x:0"; "x:2" stays. */
const withIndex = (ref: string) => (/:\d+$/.test(ref) ? ref : `${ref}:0`);
const nodeOf = (ref: string) => ref.replace(/:\d+$/, '');

/** How many tensors one output (or input) arg of an op stands for in a node: 1, N, or the length of a type list. */
function argSize(arg: ArgDefObject, node: NodeDefObject, opDef: OpDefObject): number {
  const attrOf = (name: string) => node.attr?.[name] ?? opDef.attr?.find((a) => a.name === name)?.defaultValue;
  if (arg.numberAttr) return Number(attrOf(arg.numberAttr)?.i ?? 1);
  if (arg.typeListAttr) return (attrOf(arg.typeListAttr)?.list?.type ?? []).length;
  return 1;
}

/**
 * Replaces each StatefulPartitionedCall/PartitionedCall of the GraphDef by the nodes of the
 * function it calls (recursively), as TF2 SavedModels need: a function's node "n" becomes
 * "<call>/n", its arguments become the call's inputs, its "node:out_arg:index" tensors become
 * "node:i" by the op's OpDef (from stripped_op_list), and the call's outputs resolve to its rets.
 * Functional While and If become TF v1 frames and Switch/Merge conds with their functions inlined.
 */
export function inlineFunctionCalls(graphDefs: readonly NodeDefObject[], functions: readonly FunctionDefObject[], opDefs: readonly OpDefObject[], file: string): InlinedGraph {
  const library = new Map(functions.map((f) => [f.signature?.name ?? '', f]));
  const ops = new Map(opDefs.map((o) => [o.name, o]));
  const aliases = new Map<string, string>();
  const out: NodeDefObject[] = [];

  const calledFunction = (node: NodeDefObject): FunctionDefObject => {
    const name = node.attr?.f?.func?.name as string | undefined;
    const fn = name ? library.get(name) : undefined;
    if (!fn) throw new ModelLoadError(`${node.op} "${node.name}" calls function "${name ?? '?'}", which the function library does not hold`, { file, node: node.name, op: node.op });
    return fn;
  };

  /** Output index of "node:out_arg:i" inside a function whose nodes are `local`. */
  const outputIndex = (local: ReadonlyMap<string, NodeDefObject>, node: string, outArg: string, i: number): number => {
    const def = local.get(node);
    const opDef = def && (ops.get(def.op) ?? (FUNCTION_CALL_OPS.has(def.op) ? { name: def.op, outputArg: [{ name: 'output', typeListAttr: 'Tout' }] } : undefined));
    if (!def || !opDef?.outputArg) return i;
    let index = 0;
    for (const arg of opDef.outputArg) {
      if (arg.name === outArg) return index + i;
      index += argSize(arg, def, opDef);
    }
    throw new ModelLoadError(`a function names output "${outArg}" of "${node}" (${def.op}), which its OpDef does not have`, { file, node, op: def.op });
  };

  /**
   * A node of the graph or of a function, with its inputs already in graph terms: kept, inlined or
   * rewritten. `pivot`: the loop frame or branch it is in, passed on to the functions it calls.
   */
  const place = (node: NodeDefObject, depth: number, pivot?: string): void => {
    const dataInputs = (node.input ?? []).filter((r) => !r.startsWith('^')).map(withIndex);
    const outputs = WHILE_OPS.has(node.op) ? whileAsFrame(node, dataInputs, inlineBodyAt(depth), push, file)
      : IF_OPS.has(node.op) ? ifAsSwitchMerge(node, dataInputs, inlineBodyAt(depth), push, file)
        : FUNCTION_CALL_OPS.has(node.op) ? inlineFunction(node, calledFunction(node), node.name, dataInputs, pivot, depth + 1)
          : undefined;
    if (!outputs) { push(node); return; }
    outputs.forEach((ref, i) => aliases.set(`${node.name}:${i}`, ref));
  };
  const push = (def: NodeDefObject) => { out.push(def); };
  const inlineBodyAt = (depth: number): InlineBody => (name, prefix, args, pivot) => {
    const fn = library.get(name);
    if (!fn) throw new ModelLoadError(`control flow at "${prefix}" runs function "${name}", which the function library does not hold`, { file });
    return inlineFunction({ name: prefix, op: 'function' }, fn, prefix, args, pivot, depth + 1);
  };

  /** The function's nodes under `prefix`, arguments bound to `args`; its outputs in order. */
  const inlineFunction = (call: NodeDefObject, fn: FunctionDefObject, prefix: string, args: readonly string[], pivot: string | undefined, depth: number): string[] => {
    if (depth > MAX_CALL_DEPTH) throw new ModelLoadError(`function calls nest deeper than ${MAX_CALL_DEPTH} (recursion?) at "${prefix}"`, { file, node: call.name, op: call.op });
    const argNames = (fn.signature?.inputArg ?? []).map((a) => a.name);
    const argRef = new Map(argNames.map((name, i) => [name, args[i]!]));
    const local = new Map((fn.nodeDef ?? []).map((n) => [n.name, n]));
    const translate = (ref: string): string | undefined => {
      if (ref.startsWith('^')) {
        const name = ref.slice(1);
        if (local.has(name)) return `^${prefix}/${name}`;
        const arg = argRef.get(name);
        return arg ? `^${nodeOf(arg)}` : undefined;
      }
      const parts = ref.split(':');
      if (parts.length === 1) return argRef.get(ref) ?? `${prefix}/${ref}:0`;
      if (parts.length === 2) return argRef.has(parts[0]!) ? argRef.get(parts[0]!)! : `${prefix}/${ref}`;
      const i = Number(parts[2]);
      if (parts.length > 3 || !Number.isInteger(i) || i < 0) throw new ModelLoadError(`function "${fn.signature?.name}" has an input "${ref}" that is not "node:output:index"`, { file, node: call.name, op: call.op });
      return `${prefix}/${parts[0]}:${outputIndex(local, parts[0]!, parts[1]!, i)}`;
    };
    for (const node of fn.nodeDef ?? []) {
      if (!node.name) throw new ModelLoadError(`function "${fn.signature?.name}" has a node (op ${node.op || 'none'}) without a name: the function library is corrupt`, { file, node: call.name, op: call.op });
      const inputs = (node.input ?? []).map(translate).filter((r): r is string => r !== undefined);
      // Inside a loop frame or a branch, a node fed by nothing must still run there.
      if (pivot && !inputs.length) inputs.push(`^${pivot}`);
      place({ ...node, name: `${prefix}/${node.name}`, input: inputs }, depth, pivot);
    }
    return (fn.signature?.outputArg ?? []).map((arg, i) => {
      if (!arg.name) throw new ModelLoadError(`function "${fn.signature?.name}" has an unnamed output (output ${i}): its signature is corrupt`, { file, node: call.name, op: call.op });
      const ret = fn.ret?.[arg.name];
      if (!ret) throw new ModelLoadError(`function "${fn.signature?.name}" has no ret for output "${arg.name}"`, { file, node: call.name, op: call.op });
      return translate(ret)!;
    });
  };

  for (const node of graphDefs) place(node, 0);
  const seen = new Set<string>();
  for (const def of out) {
    if (seen.has(def.name)) throw new ModelLoadError(`two nodes are named "${def.name}" once function calls are inlined (a graph node shares a name with "<call>/<function node>")`, { file, node: def.name, op: def.op });
    seen.add(def.name);
  }

  const resolve = (ref: string): string => {
    let current = withIndex(ref);
    for (let hops = 0; aliases.has(current); hops++) {
      if (hops > 1000) throw new ModelLoadError(`tensor "${ref}" resolves in a cycle of function outputs`, { file });
      current = aliases.get(current)!;
    }
    return current;
  };
  const defs = out.map((n) => (n.input?.length ? { ...n, input: n.input.map((r) => (r.startsWith('^') ? r : resolve(r))) } : n));
  return { defs, resolve };
}
