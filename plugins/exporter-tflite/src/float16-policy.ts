import type { ExportOptions } from '@modelport/core';
import type { Float16Policy } from './tensor-scope.js';

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * `--quantize float16`: every float weight (or those matching --quantize-weights globs, by the
 * name of the Const they come from) is stored as float16 and dequantized when the model loads.
 */
export function float16Policy(options: Pick<ExportOptions, 'quantize' | 'quantizeWeights'>): Float16Policy | undefined {
  if (options.quantize !== 'float16') return undefined;
  const patterns = options.quantizeWeights?.map(globToRegExp);
  return (name) => !patterns || patterns.some((p) => p.test(name));
}
