import { CONTROL_FLOW_STRUCTURE_OPS, UnsupportedOpsError, type ControlFlowPlan, type Node } from '@modelport/core';
import type { TfliteOpTable } from './conversion.js';

/** Ops that need no TFLite operator of their own. */
export const PASS_THROUGH_OPS: ReadonlySet<string> = new Set(['Const', 'Placeholder', 'NoOp']);

// TF2 functional control flow: the importer lowers it to v1 ops; left as such, it is refused.
const FUNCTIONAL_CONTROL_FLOW = /^(While|StatelessWhile|If|StatelessIf)$/;

/**
 * Throws one UnsupportedOpsError listing every node whose op has no TFLite builtin translation,
 * and every v1 control-flow node of a structure that is not a WHILE or IF (nested loops …), before
 * anything is computed or written. Nodes in `folded` are computed at export time and need no
 * translation; the structural nodes of recognised loops and conds become the WHILE or IF itself.
 */
export function assertTfliteCanExpress(nodes: readonly Node[], table: TfliteOpTable, folded: ReadonlySet<string>, controlFlow: ControlFlowPlan): void {
  const problems = new Set(controlFlow.problems.map((p) => p.node));
  const unsupported = nodes
    .filter((n) => !PASS_THROUGH_OPS.has(n.op) && !table[n.op] && !folded.has(n.name) && !problems.has(n.name)
      && !(CONTROL_FLOW_STRUCTURE_OPS.has(n.op) && controlFlow.regionOf.has(n.name)))
    .map((n) => ({ node: n.name, op: FUNCTIONAL_CONTROL_FLOW.test(n.op) ? `${n.op}: control flow, TF2 functional form` : n.op }));
  // 'Merge (why)' → 'Merge: control flow, why'
  const structure = controlFlow.problems.map((p) => ({ node: p.node, op: p.op.replace(/^(\w+) \((.*)\)$/, '$1: control flow, $2') }));
  const all = [...structure, ...unsupported];
  if (all.length) throw new UnsupportedOpsError('TFLite builtins', all, { node: all[0]!.node });
}
