import { OptionsError, type Graph } from '@modelport/core';

/**
 * Integer-only inputs and outputs (--io-type) have no SavedModel form here: the graph is written
 * in float. One error names every such signature tensor.
 */
export function assertFloatInterface(graph: Graph): void {
  const integer: string[] = [];
  for (const [key, s] of Object.entries(graph.signatures)) {
    for (const [side, ts] of [['input', s.inputs], ['output', s.outputs]] as const) {
      for (const [name, t] of Object.entries(ts)) if (t.quantization) integer.push(`signature "${key}" ${side} "${name}" (${t.dtype})`);
    }
  }
  if (integer.length) {
    throw new OptionsError(`target "savedmodel" cannot write integer-only inputs or outputs: ${integer.join(', ')}; a SavedModel here computes in float32 with float inputs and outputs: export the SavedModel in an export of its own without integer-only inputs and outputs (--quantize int8-full, --io-type)`);
  }
}
