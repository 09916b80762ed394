import { ModelLoadError, type Node } from '@modelport/core';

/** TF2 control flow: ops that run functions of the library as loop bodies and branches. */
const FUNCTIONAL_CONTROL_FLOW_OPS: ReadonlySet<string> = new Set(['While', 'StatelessWhile', 'If', 'StatelessIf', 'Case', 'StatelessCase', 'For']);

/**
 * Function calls are inlined; functional control flow (While/If with bodies in the function
 * library) is not: one error names each signature's such nodes, and the way out.
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
    `TF2 functional control flow (While/If with bodies in the function library) is not read yet: ${found.slice(0, 6).join('; ')}${found.length > 6 ? `; and ${found.length - 6} more` : ''}. `
    + 'Convert the model to a tfjs model.json with tensorflowjs_converter (it keeps the loops), or save it with TF1 control flow (tf.compat.v1.disable_control_flow_v2)',
    { file },
  );
}
