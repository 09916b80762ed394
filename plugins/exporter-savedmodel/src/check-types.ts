import type { GraphDefObject, NodeDefObject } from './graph-def.js';
import { TF_OPS, type ArgDef } from './op-registry.js';

type AttrObject = Record<string, unknown>;

/** The DataType names an arg stands for on this node: one per tensor (N copies, a type list). Undefined when an attr is missing. */
function argTypes(node: NodeDefObject, arg: ArgDef): string[] | undefined {
  const attr = (name: string) => node.attr[name] as AttrObject | undefined;
  if (arg.typeListAttr) return ((attr(arg.typeListAttr)?.list as { type?: string[] } | undefined)?.type ?? []).map(String);
  const one = arg.type ?? (arg.typeAttr ? (attr(arg.typeAttr)?.type as string | undefined) : undefined);
  if (one === undefined) return undefined;
  const n = arg.numberAttr ? Number((attr(arg.numberAttr)?.i as number | undefined) ?? NaN) : 1;
  return Number.isFinite(n) ? Array.from({ length: n }, () => one) : undefined;
}

function typesOf(node: NodeDefObject, args: readonly ArgDef[]): string[] | undefined {
  const out: string[] = [];
  for (const arg of args) {
    const t = argTypes(node, arg);
    if (!t) return undefined;
    out.push(...t);
  }
  return out;
}

/**
 * What TensorFlow's graph importer checks of every edge: the tensor an input reads has the type
 * the op's OpDef expects there (its fixed type, or the value of its type attr). One line per
 * mismatch; nodes whose types cannot be known (malformed, reported elsewhere) are skipped.
 */
export function typeMismatches(graphDef: GraphDefObject): string[] {
  const outputs = new Map<string, string[] | undefined>();
  for (const node of graphDef.node) {
    const def = TF_OPS.get(node.op);
    outputs.set(node.name, def ? typesOf(node, def.outputArg) : undefined);
  }
  const problems: string[] = [];
  for (const node of graphDef.node) {
    const def = TF_OPS.get(node.op);
    const expected = def && typesOf(node, def.inputArg);
    if (!expected) continue;
    node.input.filter((i) => !i.startsWith('^')).forEach((input, i) => {
      const [producer, index = '0'] = input.split(':') as [string, string?];
      const got = outputs.get(producer)?.[Number(index)];
      if (got !== undefined && expected[i] !== undefined && got !== expected[i]) {
        problems.push(`"${node.name}" (${node.op}) input ${i} expects ${expected[i]} but "${input}" is ${got}`);
      }
    });
  }
  return problems;
}
