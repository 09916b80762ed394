import { DEFAULT_SIGNATURE, defaultSignature, definePlugin, frozenInputTensor, readPluginPackage, runnableArtifacts, ValidationError, type ExportResult, type PluginPackage } from '@modelport/core';
import { oversizedInputs } from './input-bound.js';
import { validationInputs } from './inputs.js';
import { nonFiniteOutputNotes } from './non-finite.js';
import { runSource } from './reference.js';
import { validateArtifact } from './validate-artifact.js';
import { describeMissingOutputs, isMissingOutput, missingOutputsMessage } from './missing-outputs.js';
import { summarisePackages } from './package-reports.js';
import { isNotValidated } from './serve-artifact.js';
import { INTEGER_MODES, validateQuantized } from './validate-quantized.js';
import { DEFAULT_TOLERANCE } from './tolerance.js';
import { validateSignatures } from './validate-signatures.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME };

export { DEFAULT_TOLERANCE };
export { IMAGE_SIZE } from './signature-inputs.js';

export interface ValidationOptions {
  readonly fillUnknownDims: number;
}

/**
 * After export: runs the source graph (tfjs) and every artifact (its own runtime, via `serve`) on
 * the same inputs, records max|Δ| and cosine per output in export.json, and fails the export when
 * an output is off by more than the tolerance. Integer modes (dynamic, int8, int8-full) are measured
 * instead (cosine, top-1 agreement) and fail only on --accuracy-target or an explicit --tolerance.
 * Formats with no runtime installed are noted, not failed. An export with module signatures has
 * every signature validated against the source composed the same way (validate-signatures.ts).
 */
export const validation = definePlugin<ValidationOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    const validateExport = async (result: ExportResult): Promise<void> => {
      const ctx = result.context;
      if (!ctx.options.validate) { ctx.notes.push('validation skipped (--no-validate)'); return; }
      const oversized = ctx.options.validationInputs ? undefined : oversizedInputs(defaultSignature(result.graph), options.fillUnknownDims);
      if (oversized) { ctx.notes.push(oversized); return; }
      if (ctx.referenceGraph) {
        const problem = await validateSignatures(hooks, result, options.fillUnknownDims);
        if (problem) throw new ValidationError(problem);
        return;
      }
      if (ctx.options.quantize && INTEGER_MODES.has(ctx.options.quantize)) {
        const { failures, missing } = await validateQuantized(hooks, result, options.fillUnknownDims);
        if (missing.length) throw new ValidationError(missingOutputsMessage(missing));
        if (failures.length) {
          const fix = ctx.options.accuracyTarget ? 'lower --accuracy-target or keep more layers float with --keep-float' : 'raise --tolerance or leave it out to measure accuracy only';
          throw new ValidationError(`the quantized model misses its accuracy: ${failures.join('; ')} (${fix})`);
        }
        return;
      }
      const source = ctx.sourceGraph!;
      const key = source.signatures[DEFAULT_SIGNATURE] ? DEFAULT_SIGNATURE : Object.keys(source.signatures)[0] ?? DEFAULT_SIGNATURE;
      // Inputs follow the exported signature: pinned input shapes (--input-shape) are what the artifacts accept.
      const exported = defaultSignature(result.graph);
      const inputs = await validationInputs(exported, ctx.options.seed ?? 1, options.fillUnknownDims, ctx.options.validationInputs);
      // Inputs frozen at export (--input-value) are constants in the artifacts: the source gets the same values.
      const frozen = Object.fromEntries(Object.entries(exported.frozenInputs ?? {}).map(([k, f]) => [k, frozenInputTensor(f)]));
      const reference = await runSource(ctx, source, { ...inputs, ...frozen });
      ctx.notes.push(...nonFiniteOutputNotes(reference.outputs));
      const tolerance = ctx.options.tolerance ?? DEFAULT_TOLERANCE[ctx.options.quantize ?? 'none']!;
      const failures: string[] = [];
      const missing: string[] = [];
      try {
        for (const artifact of runnableArtifacts(result.artifacts)) {
          const report = await validateArtifact(hooks, artifact, result.dir, key, inputs, reference, tolerance, ctx.logger);
          if (isNotValidated(report)) { ctx.notes.push(`${artifact.target}: not validated: ${report.notValidated}`); continue; }
          result.validation[artifact.target] = report;
          const lacks = describeMissingOutputs(artifact, report);
          if (lacks) missing.push(lacks);
          for (const o of report.outputs) {
            if (isMissingOutput(o)) continue;
            if (!o.ok) failures.push(`${artifact.target} output "${o.output}": ${o.problem}`);
            else if ('status' in o && o.status !== 'pass') ctx.notes.push(`${artifact.target} output "${o.output}": ${o.status}, ${o.note}`);
          }
        }
      } finally {
        reference.dispose();
      }
      // A missing output comes first: no tolerance can accept it, so --tolerance is not suggested for it.
      if (missing.length) {
        const differs = failures.length ? `; besides, the exported model differs from the source: ${failures.join('; ')}` : '';
        throw new ValidationError(`${missingOutputsMessage(missing)}${differs}`);
      }
      if (failures.length) throw new ValidationError(`the exported model differs from the source: ${failures.join('; ')} (set --tolerance to accept)`);
    };
    hooks.afterExport.tapPromise(PLUGIN_NAME, async (result) => {
      await validateExport(result);
      summarisePackages(result);
    });
  },
});

export default validation;
