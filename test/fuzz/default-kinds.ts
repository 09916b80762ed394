import { CASE_KINDS, type CaseKind } from './case-kinds.js';

/**
 * The kinds the default test run fuzzes: those that come to success or one clear error on every
 * case seen so far. A kind joins when the defects docs/reliability.md lists for it are fixed; it is
 * never in here with a defect allowed.
 */
export const DEFAULT_KIND_NAMES: readonly string[] = ['model.json', 'weights.bin', '.tflite', '.onnx', 'SavedModel', 'HTTP TF Serving', 'HTTP KServe v2'];

export const DEFAULT_KINDS: readonly CaseKind[] = CASE_KINDS.filter((k) => DEFAULT_KIND_NAMES.includes(k.name));

/** The default run's seed: fixed, so that a failure replays (`npm run fuzz -- --seed … --cases …`). */
export const DEFAULT_SEED = 20261203;
export const DEFAULT_CASES = 400;
