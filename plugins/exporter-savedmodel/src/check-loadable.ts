import { GraphError, UnsupportedOpsError } from '@modelport/core';
import type { GraphDefObject, NodeDefObject } from './graph-def.js';
import { TF_OPS, type OpDef } from './op-registry.js';
import { typeMismatches } from './check-types.js';
import { TARGET } from './lower/lower-graph.js';

/** How many tensors an arg takes on this node: 1, N (number_attr) or the length of a type list. */
function argCount(node: NodeDefObject, arg: OpDef['inputArg'][number]): number {
  if (arg.numberAttr) return Number((node.attr[arg.numberAttr] as { i?: number } | undefined)?.i ?? NaN);
  if (arg.typeListAttr) return ((node.attr[arg.typeListAttr] as { list?: { type?: unknown[] } } | undefined)?.list?.type ?? []).length;
  return 1;
}

const text = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v));

/** TensorFlow's graph importer takes node names of this form only. */
const NODE_NAME = /^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$/;

/** What TensorFlow's NodeDef validation would say of one node; empty when it loads. */
function problems(node: NodeDefObject, def: OpDef): string[] {
  const out: string[] = [];
  if (!NODE_NAME.test(node.name)) out.push('the name has characters TensorFlow refuses in node names');
  for (const a of def.attr) {
    const v = node.attr[a.name];
    if (v === undefined) { if (!a.defaultValue) out.push(`attr "${a.name}" (${a.type}) is required`); continue; }
    const allowed = (a.allowedValues as { list?: { s?: Uint8Array[] } } | undefined)?.list?.s;
    if (allowed && 's' in v && !allowed.some((s) => text(s) === text(v.s))) out.push(`attr "${a.name}" is "${text(v.s)}", not one of ${allowed.map(text).join(', ')}`);
    if (a.hasMinimum && 'i' in v && Number(v.i) < a.minimum!) out.push(`attr "${a.name}" is ${v.i}, below ${a.minimum}`);
  }
  for (const name of Object.keys(node.attr)) {
    if (!name.startsWith('_') && !def.attr.some((a) => a.name === name)) out.push(`attr "${name}" is not one of ${def.name}'s`);
  }
  const data = node.input.filter((i) => !i.startsWith('^')).length;
  const expected = def.inputArg.reduce((n, arg) => n + argCount(node, arg), 0);
  if (data !== expected) out.push(`${data} input(s), ${def.name} takes ${expected}`);
  return out;
}

/**
 * Checks a GraphDef as TensorFlow's loader checks it against its op registry: every op known,
 * every required attr present and valid, no undeclared attr, the right number of inputs, every
 * input of the type its OpDef expects (check-types.ts). Unknown
 * ops fail in one UnsupportedOpsError listing them all; malformed nodes in one GraphError.
 */
export function assertTensorFlowCanLoad(graphDef: GraphDefObject): void {
  const unknown: { node: string; op: string }[] = [];
  const malformed: string[] = [];
  for (const node of graphDef.node) {
    const def = TF_OPS.get(node.op);
    if (!def) { unknown.push({ node: node.name, op: node.op }); continue; }
    const found = problems(node, def);
    if (found.length) malformed.push(`"${node.name}" (${node.op}): ${found.join(', ')}`);
  }
  if (unknown.length) throw new UnsupportedOpsError(TARGET, unknown);
  if (!malformed.length) malformed.push(...typeMismatches(graphDef));
  if (malformed.length) throw new GraphError(`${malformed.length} node(s) TensorFlow would not load: ${malformed.join('; ')}`);
}
