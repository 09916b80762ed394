import type { ConstantTensor, ExportOptions, WeightQuantization } from '@modelport/core';

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * Which weights get quantized and how: float32 weights only (int and bool stay exact), all of them
 * or those whose name matches one of `quantizeWeights` (globs with *).
 */
export function weightQuantizationPolicy(options: ExportOptions): ((name: string, value: ConstantTensor) => WeightQuantization) | undefined {
  const mode = options.quantize;
  if (!mode) return undefined;
  const patterns = options.quantizeWeights?.map(globToRegExp);
  return (name, value) => {
    if (value.dtype !== 'float32') return undefined;
    if (patterns && !patterns.some((p) => p.test(name))) return undefined;
    return mode;
  };
}
