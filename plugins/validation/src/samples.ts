import type { AccuracyReport, ExportContext, Signature, TensorData } from '@modelport/core';
import { validationInputs } from './inputs.js';
import { realValuedSignature } from './integer-edges.js';

/** Real-valued inputs by signature input name, one record per sample, and where they came from. */
export interface AccuracySamples {
  readonly inputs: AccuracyReport['inputs'];
  readonly samples: readonly Readonly<Record<string, TensorData>>[];
}

/**
 * The samples an integer-quantized artifact is measured on: those the quantizer held out of
 * calibration; else the --inputs file; else the usual seeded random inputs. Keys the exported
 * signature does not take are dropped (a held-out sample may still carry a frozen input).
 */
export async function accuracySamples(ctx: ExportContext, exported: Signature, fillUnknownDims: number): Promise<AccuracySamples> {
  const held = ctx.heldOutSamples ?? [];
  if (held.length) {
    const names = Object.keys(exported.inputs);
    return { inputs: 'held-out', samples: held.map((s) => Object.fromEntries(names.map((n) => [n, s[n]!]))) };
  }
  const one = await validationInputs(realValuedSignature(exported), ctx.options.seed ?? 1, fillUnknownDims, ctx.options.validationInputs);
  return { inputs: ctx.options.validationInputs ? 'inputs file' : 'random', samples: [one] };
}
