import { UnsupportedOpsError, type Node } from '@modelport/core';
import type { TfliteOpTable } from './conversion.js';

/** Ops that need no TFLite operator of their own. */
export const PASS_THROUGH_OPS: ReadonlySet<string> = new Set(['Const', 'Placeholder', 'NoOp']);

// TensorFlow v1 control flow and its state: TFLite expresses loops as WHILE/IF ops over subgraphs,
// which this exporter does not write yet.
const CONTROL_FLOW = /^(Enter|Exit|Merge|Switch|NextIteration|LoopCond|TensorArray.*|TensorList.*|While|StatelessWhile|If|StatelessIf)$/;

/**
 * Throws one UnsupportedOpsError listing every node whose op has no TFLite builtin translation
 * (control flow marked as such), before anything is computed or written. Nodes in `folded` are
 * computed at export time and need no translation.
 */
export function assertTfliteCanExpress(nodes: readonly Node[], table: TfliteOpTable, folded: ReadonlySet<string>): void {
  const unsupported = nodes
    .filter((n) => !PASS_THROUGH_OPS.has(n.op) && !table[n.op] && !folded.has(n.name))
    .map((n) => ({ node: n.name, op: CONTROL_FLOW.test(n.op) ? `${n.op}: control flow, WHILE/IF subgraphs not written yet` : n.op }));
  if (unsupported.length) throw new UnsupportedOpsError('TFLite builtins', unsupported, { node: unsupported[0]!.node });
}
