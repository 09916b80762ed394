import type { Signature, SignatureTensor, ValidationReport } from '@modelport/core';
import { formatTable, indent } from '../output/table.js';

/** "image → model → detection": the stages a signature was built from, in order. */
export function stagesText(stages: readonly string[]): string {
  return stages.join(' → ');
}

function shapeText(t: SignatureTensor): string {
  return t.shape === null ? '(unknown rank)' : `[${t.shape.join(', ')}]`;
}

/** "tfjs ok; onnx FAILED (its runtime does not expose this signature …)": how each artifact's validation went for one signature. */
function validationText(key: string, validation: Readonly<Record<string, ValidationReport>>): string | undefined {
  const parts = Object.entries(validation).flatMap(([target, report]) => {
    const s = report.signatures?.[key];
    if (!s) return [];
    const fed = Object.entries(s.inputs).map(([name, shape]) => `${name} [${shape.join(', ')}]`).join(', ');
    return [`${target} ${s.ok ? 'ok' : 'FAILED'}${s.problem ? ` (${s.problem})` : ''}${fed ? ` on ${fed}` : ''}`];
  });
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * The signatures of an export record: each with its stages ("serving_default: image → model →
 * detection", or "the model's own"), its inputs and outputs, and, when validation checked every
 * signature, how each artifact did on it.
 */
export function formatExportSignatures(signatures: Readonly<Record<string, Signature>>, validation: Readonly<Record<string, ValidationReport>> = {}): string[] {
  const entries = Object.entries(signatures);
  const lines: string[] = [`signatures (${entries.length})`];
  for (const [key, sig] of entries) {
    lines.push(`  ${key}: ${sig.stages ? stagesText(sig.stages) : "the model's own"}`);
    const rows = [
      ...Object.entries(sig.inputs).map(([name, t]) => ['input', name, String(t.dtype), shapeText(t)]),
      ...Object.entries(sig.outputs).map(([name, t]) => ['output', name, String(t.dtype), shapeText(t)]),
    ];
    lines.push(indent(indent(formatTable(['', 'name', 'dtype', 'shape'], rows))));
    const validated = validationText(key, validation);
    if (validated) lines.push(`    validation: ${validated}`);
    lines.push('');
  }
  return lines;
}
