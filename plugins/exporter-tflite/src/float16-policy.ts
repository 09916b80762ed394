import { SOURCE_WEIGHT_QUANTIZATION_KEY, type ExportOptions, type Graph } from '@modelport/core';
import type { Float16Policy } from './tensor-scope.js';

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Const names the source file stored as float16: their float32 values are exact halves. */
function sourceFloat16Weights(graph: Graph): Set<string> {
  const stored = graph.metadata[SOURCE_WEIGHT_QUANTIZATION_KEY] as Record<string, { dtype?: string }> | undefined;
  return new Set(Object.entries(stored ?? {}).filter(([, q]) => q.dtype === 'float16').map(([name]) => name));
}

/**
 * Which float weights are stored as float16 and dequantized when the model loads: those the source
 * already stored as float16 (nothing is lost, and the file keeps the source's size), and with
 * `--quantize float16` every float weight, or those matching --quantize-weights globs by the name
 * of the Const they come from.
 */
export function float16Policy(graph: Graph, options: Pick<ExportOptions, 'quantize' | 'quantizeWeights'>): Float16Policy {
  const fromSource = sourceFloat16Weights(graph);
  if (options.quantize !== 'float16') return (name) => fromSource.has(name);
  const patterns = options.quantizeWeights?.map(globToRegExp);
  return (name) => fromSource.has(name) || !patterns || patterns.some((p) => p.test(name));
}
