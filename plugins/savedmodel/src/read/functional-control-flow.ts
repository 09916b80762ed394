import { ModelLoadError } from '@modelport/core';
import type { NodeDefObject } from './saved-model-object.js';

/** TF2 control flow: ops whose loop bodies and branches are functions of the library. */
export const WHILE_OPS: ReadonlySet<string> = new Set(['While', 'StatelessWhile']);
export const IF_OPS: ReadonlySet<string> = new Set(['If', 'StatelessIf']);

/**
 * Inlines a function's nodes under `prefix` with its arguments bound to `args`; nodes with no
 * inputs (Consts) get a control input on `pivot`, so that they belong to a loop frame or a branch;
 * gives the function's outputs in order.
 */
export type InlineBody = (functionName: string, prefix: string, args: readonly string[], pivot: string) => string[];

const s = (text: string) => ({ s: Buffer.from(text, 'utf8').toString('base64') });
const typeAt = (node: NodeDefObject, attr: string, i: number, file: string): { type: string } => {
  const type = node.attr?.[attr]?.list?.type?.[i] as string | undefined;
  if (!type) throw new ModelLoadError(`${node.op} "${node.name}" has no type for its value ${i} in attribute ${attr}`, { file, node: node.name, op: node.op });
  return { type };
};
const funcName = (node: NodeDefObject, attr: string, file: string): string => {
  const name = node.attr?.[attr]?.func?.name as string | undefined;
  if (!name) throw new ModelLoadError(`${node.op} "${node.name}" has no function in attribute ${attr}`, { file, node: node.name, op: node.op });
  return name;
};

/**
 * A functional While as a TF v1 loop frame (what tfjs runs and the exporters translate): per loop
 * variable Enter → Merge → Switch (on LoopCond of the inlined cond) → Identity into the inlined
 * body → NextIteration back to the Merge, and Exit as the While's output. Gives the outputs.
 */
export function whileAsFrame(node: NodeDefObject, inputs: readonly string[], inlineBody: InlineBody, push: (def: NodeDefObject) => void, file: string): string[] {
  const p = node.name;
  const iterations = { i: String(node.attr?.parallel_iterations?.i ?? '10') };
  const n = inputs.length;
  for (let i = 0; i < n; i++) {
    const T = typeAt(node, 'T', i, file);
    push({ name: `${p}/Enter_${i}`, op: 'Enter', input: [inputs[i]!], attr: { T, frame_name: s(p), is_constant: { b: false }, parallel_iterations: iterations } });
    push({ name: `${p}/Merge_${i}`, op: 'Merge', input: [`${p}/Enter_${i}:0`, `${p}/NextIteration_${i}:0`], attr: { T, N: { i: '2' } } });
  }
  const merges = Array.from({ length: n }, (_, i) => `${p}/Merge_${i}:0`);
  const [pred] = inlineBody(funcName(node, 'cond', file), `${p}/cond`, merges, `${p}/Merge_0`);
  if (!pred) throw new ModelLoadError(`the cond function of ${node.op} "${p}" returns nothing`, { file, node: p, op: node.op });
  push({ name: `${p}/LoopCond`, op: 'LoopCond', input: [pred], attr: {} });
  for (let i = 0; i < n; i++) {
    const T = typeAt(node, 'T', i, file);
    push({ name: `${p}/Switch_${i}`, op: 'Switch', input: [`${p}/Merge_${i}:0`, `${p}/LoopCond:0`], attr: { T } });
    push({ name: `${p}/Exit_${i}`, op: 'Exit', input: [`${p}/Switch_${i}:0`], attr: { T } });
    push({ name: `${p}/Identity_${i}`, op: 'Identity', input: [`${p}/Switch_${i}:1`], attr: { T } });
  }
  const next = inlineBody(funcName(node, 'body', file), `${p}/body`, Array.from({ length: n }, (_, i) => `${p}/Identity_${i}:0`), `${p}/Identity_0`);
  if (next.length !== n) throw new ModelLoadError(`the body of ${node.op} "${p}" returns ${next.length} values for ${n} loop variables`, { file, node: p, op: node.op });
  next.forEach((ref, i) => push({ name: `${p}/NextIteration_${i}`, op: 'NextIteration', input: [ref], attr: { T: typeAt(node, 'T', i, file) } }));
  return Array.from({ length: n }, (_, i) => `${p}/Exit_${i}:0`);
}

/**
 * A functional If as a TF v1 cond: each argument through a Switch on the predicate, the then
 * branch inlined on the true outputs and the else branch on the false ones, joined by Merges
 * that are the If's outputs. A non-bool predicate is cast to bool (non-zero is true), as If reads it.
 */
export function ifAsSwitchMerge(node: NodeDefObject, inputs: readonly string[], inlineBody: InlineBody, push: (def: NodeDefObject) => void, file: string): string[] {
  const p = node.name;
  const [cond, ...args] = inputs;
  if (!cond) throw new ModelLoadError(`${node.op} "${p}" has no predicate`, { file, node: p, op: node.op });
  let pred = cond;
  const tcond = node.attr?.Tcond?.type as string | undefined;
  if (tcond && tcond !== 'DT_BOOL') {
    push({ name: `${p}/pred`, op: 'Cast', input: [cond], attr: { SrcT: { type: tcond }, DstT: { type: 'DT_BOOL' }, Truncate: { b: false } } });
    pred = `${p}/pred:0`;
  }
  push({ name: `${p}/switch_pred`, op: 'Switch', input: [pred, pred], attr: { T: { type: 'DT_BOOL' } } });
  push({ name: `${p}/pivot_t`, op: 'Identity', input: [`${p}/switch_pred:1`], attr: { T: { type: 'DT_BOOL' } } });
  push({ name: `${p}/pivot_f`, op: 'Identity', input: [`${p}/switch_pred:0`], attr: { T: { type: 'DT_BOOL' } } });
  args.forEach((arg, j) => push({ name: `${p}/Switch_${j}`, op: 'Switch', input: [arg, pred], attr: { T: typeAt(node, 'Tin', j, file) } }));
  const thenOut = inlineBody(funcName(node, 'then_branch', file), `${p}/then`, args.map((_, j) => `${p}/Switch_${j}:1`), `${p}/pivot_t`);
  const elseOut = inlineBody(funcName(node, 'else_branch', file), `${p}/else`, args.map((_, j) => `${p}/Switch_${j}:0`), `${p}/pivot_f`);
  if (thenOut.length !== elseOut.length) throw new ModelLoadError(`the branches of ${node.op} "${p}" return ${thenOut.length} and ${elseOut.length} values`, { file, node: p, op: node.op });
  return thenOut.map((t, k) => {
    push({ name: `${p}/Merge_${k}`, op: 'Merge', input: [elseOut[k]!, t], attr: { T: typeAt(node, 'Tout', k, file), N: { i: '2' } } });
    return `${p}/Merge_${k}:0`;
  });
}
