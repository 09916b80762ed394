import type { ExportOptions } from '@modelport/core';
import type { Float16Policy } from './tensor-scope.js';

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * `--quantize float16`: every float weight (or those matching --quantize-weights globs, by the
 * name of the Const they come from) is stored as float16 and dequantized when the model loads.
 * Only when asked, even for weights the source stored as float16: LiteRT.js runs such a model 4–6×
 * slower here (faceres 177 ms vs 28 ms, nanodet 538 vs 100; docs/benchmarks.md), so the default
 * trades the file size for speed.
 */
export function float16Policy(options: Pick<ExportOptions, 'quantize' | 'quantizeWeights'>): Float16Policy | undefined {
  if (options.quantize !== 'float16') return undefined;
  const patterns = options.quantizeWeights?.map(globToRegExp);
  return (name) => !patterns || patterns.some((p) => p.test(name));
}
