import type { Graph } from '@modelport/core';

/** Float weights stored quantized, and those left float (scalars aside), for the summary. */
export function weightCounts(graph: Graph): { quantized: number; kept: number } {
  let quantized = 0, kept = 0;
  for (const c of graph.constants.values()) {
    if (c.dtype !== 'float32') continue;
    if (c.quantization && c.quantization.dtype !== 'float16') quantized++;
    else if (c.values.length > 1) kept++;
  }
  return { quantized, kept };
}
