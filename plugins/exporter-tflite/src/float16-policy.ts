import { quantizeWeightsFilter, type ExportOptions } from '@modelport/core';
import type { Float16Policy } from './tensor-scope.js';

/**
 * `--quantize float16`: every float weight (or those matching --quantize-weights globs, by the
 * name of the Const they come from) is stored as float16 and dequantized when the model loads.
 * Only when asked, even for weights the source stored as float16: LiteRT.js runs such a model about
 * 5× slower here (bench/tflite.ts --float16; docs/benchmarks.md), so the default keeps speed over size.
 */
export function float16Policy(options: Pick<ExportOptions, 'quantize' | 'quantizeWeights'>): Float16Policy | undefined {
  if (options.quantize !== 'float16') return undefined;
  return quantizeWeightsFilter(options.quantizeWeights);
}
