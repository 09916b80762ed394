import { ModelLoadError, type Node } from '@modelport/core';

/** TF2 control flow the reader does not turn into v1 frames and conds: Case and For. */
const FUNCTIONAL_CONTROL_FLOW_OPS: ReadonlySet<string> = new Set(['Case', 'StatelessCase', 'For']);

/**
 * Function calls are inlined and While/If become v1 loops and conds; Case and For are not read:
 * one error names each signature's such nodes, and the way out.
 */
export function refuseFunctionalControlFlow(nodesBySignature: ReadonlyMap<string, readonly Node[]>, file: string): void {
  const found: string[] = [];
  for (const [key, nodes] of nodesBySignature) {
    for (const n of nodes) {
      if (!FUNCTIONAL_CONTROL_FLOW_OPS.has(n.op)) continue;
      const bodies = Object.values(n.attrs).flatMap((v) => ('func' in v ? [v.func.name] : []));
      found.push(`signature "${key}": ${n.op} "${n.name}"${bodies.length ? ` (${bodies.join(', ')})` : ''}`);
    }
  }
  if (!found.length) return;
  throw new ModelLoadError(
    `TF2 functional Case and For (branches in the function library) are not read yet: ${found.slice(0, 6).join('; ')}${found.length > 6 ? `; and ${found.length - 6} more` : ''}. `
    + 'Write the branches with tf.cond (If) instead, or save the model with TF1 control flow (tf.compat.v1.disable_control_flow_v2)',
    { file },
  );
}
