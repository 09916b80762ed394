import { ModelLoadError, type Node } from '@modelport/core';

const FUNCTION_CALL_OPS: ReadonlySet<string> = new Set(['StatefulPartitionedCall', 'PartitionedCall']);

/**
 * TF2 SavedModels (tf.saved_model.save, Keras export) call their computation in the function
 * library; the reader takes graphs whose computation is in the GraphDef itself. One error names
 * the signatures and the functions they call, and the way out.
 */
export function refuseFunctionCalls(nodesBySignature: ReadonlyMap<string, readonly Node[]>, file: string): void {
  const calls: string[] = [];
  for (const [key, nodes] of nodesBySignature) {
    for (const n of nodes) {
      if (!FUNCTION_CALL_OPS.has(n.op)) continue;
      const fn = (n.attrs.f as { func?: { name: string } } | undefined)?.func?.name ?? '?';
      calls.push(`signature "${key}": ${n.op} "${n.name}" → ${fn}`);
    }
  }
  if (!calls.length) return;
  throw new ModelLoadError(
    `TF2 function-library SavedModels (StatefulPartitionedCall → __inference_…) are not read yet: ${calls.slice(0, 6).join('; ')}. ` +
    'Export a TF1-style graph instead (tf.compat.v1.saved_model.Builder, or freeze the concrete function with convert_variables_to_constants_v2 and save that graph), or convert to a tfjs model.json with tensorflowjs_converter',
    { file },
  );
}
