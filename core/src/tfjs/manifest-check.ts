import { ModelLoadError } from '../errors.js';

/** dtypes a tfjs weight may declare, and what a quantized one may be stored as. */
const WEIGHT_DTYPES = new Set(['float32', 'int32', 'bool', 'string', 'complex64']);
const QUANTIZED_DTYPES = new Set(['uint8', 'uint16', 'float16']);
/** TensorFlow dimensions are int64, but no runtime we export to indexes past int32. */
export const MAX_DIMENSION = 2 ** 31 - 1;

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeof value === 'object' ? 'an object' : String(value);
}

function entryProblem(entry: unknown): string | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return `is ${describe(entry)}, expected a { name, shape, dtype } entry`;
  const w = entry as Record<string, unknown>;
  if (typeof w.name !== 'string' || w.name === '') return `has no name (a non-empty string): it is ${describe(w.name)}`;
  if (!Array.isArray(w.shape)) return w.shape === undefined ? 'has no shape (a list of dimensions)' : `has shape ${describe(w.shape)}, not a list of dimensions`;
  const bad = w.shape.find((d) => !Number.isSafeInteger(d) || (d as number) < 0 || (d as number) > MAX_DIMENSION);
  if (bad !== undefined) return `has shape dimension ${describe(bad)}: dimensions are whole numbers from 0 to 2^31-1`;
  if (typeof w.dtype !== 'string' || !WEIGHT_DTYPES.has(w.dtype)) return `has dtype ${describe(w.dtype)}; tfjs weights are ${[...WEIGHT_DTYPES].join(', ')}`;
  if (w.quantization !== undefined) {
    const q = w.quantization as Record<string, unknown> | null;
    if (!q || typeof q !== 'object' || !QUANTIZED_DTYPES.has(q.dtype as string)) return `has quantization of dtype ${describe(q?.dtype)}; it is uint8, uint16 or float16`;
    for (const key of ['scale', 'min'] as const) {
      if (q[key] !== undefined && !Number.isFinite(q[key])) return `has quantization ${key} ${describe(q[key])}, not a finite number`;
    }
  }
  return undefined;
}

/**
 * Checks every weightsManifest entry before any byte is decoded: a name, a dtype tfjs weights can
 * hold, a shape of sane dimensions. The message names the file, the weight (or its position) and
 * what is wrong.
 */
export function checkWeightsManifest(manifest: readonly unknown[], file: string): void {
  manifest.forEach((group, g) => {
    const { paths, weights } = (group ?? {}) as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(paths) || !Array.isArray(weights) || paths.some((p) => typeof p !== 'string')) {
      throw new ModelLoadError(`weightsManifest[${g}] must be a { paths: [file names], weights: [...] } group`, { file });
    }
    weights.forEach((entry, i) => {
      const problem = entryProblem(entry);
      if (!problem) return;
      const name = (entry as { name?: unknown } | null)?.name;
      const which = typeof name === 'string' && name ? `weight "${name}"` : `weight entry weightsManifest[${g}].weights[${i}]`;
      throw new ModelLoadError(`${which} ${problem}`, { file });
    });
  });
}
