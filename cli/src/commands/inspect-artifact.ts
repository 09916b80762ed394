import type { ArtifactDescription, ArtifactDetail, DescribedFrozenInput, DescribedTensor } from '@modelport/core';
import { formatBytes, formatTable, indent } from '../output/table.js';
import { stagesText } from './inspect-signatures.js';

function shapeText(t: DescribedTensor): string {
  if (t.shape === null) return `(unknown rank${t.note ? `; ${t.note}` : ''})`;
  return `[${t.shape.join(', ')}]${t.note ? ` (${t.note})` : ''}`;
}

function frozenText(f: DescribedFrozenInput): string {
  return `[${f.shape.join(', ')}] = ${f.shape.length ? `[${f.values.join(', ')}]` : f.values[0]} (an input of the source, a constant since export)`;
}

function detailText(d: ArtifactDetail): string {
  return `${d.label}: ${d.unit === 'bytes' && typeof d.value === 'number' ? formatBytes(d.value) : String(d.value)}`;
}

/** What `modelport inspect` prints of a model file of any format: signatures, op histogram, details and size. */
export function formatArtifactDescription(d: ArtifactDescription): string {
  const lines: string[] = d.summary ? [d.summary, ''] : [];
  // The tensor column only where the format names tensors apart from the signature's keys.
  const tensors = Object.values(d.signatures).some((s) => [...s.inputs, ...s.outputs, ...s.frozenInputs].some((t) => t.tensor !== undefined));
  for (const [key, sig] of Object.entries(d.signatures)) {
    const about = [sig.stages ? `stages: ${stagesText(sig.stages)}` : '', sig.file ? `file: ${sig.file}` : ''].filter(Boolean).join('; ');
    lines.push(`signature ${key}${about ? ` (${about})` : ''}`);
    const row = (kind: string, t: DescribedTensor | DescribedFrozenInput, shape: string) => [kind, t.name, ...(tensors ? [t.tensor ?? ''] : []), t.dtype, shape];
    const rows = [
      ...sig.inputs.map((t) => row('input', t, shapeText(t))),
      ...sig.outputs.map((t) => row('output', t, shapeText(t))),
      ...sig.frozenInputs.map((f) => row('frozen', f, frozenText(f))),
    ];
    lines.push(indent(formatTable(['', 'name', ...(tensors ? ['tensor'] : []), 'dtype', 'shape'], rows)), '');
  }
  const dynamic = Object.values(d.signatures).flatMap((s) => s.inputs).filter((t) => t.dynamic);
  const runTimeDims = dynamic.some((t) => t.shape?.some((x) => x === -1));
  if (dynamic.length) lines.push(`dynamic inputs: ${[...new Set(dynamic.map((t) => t.name))].join(', ')}${runTimeDims ? ' (-1 = decided at run time)' : ''}`);
  lines.push(...d.shapeNotes);
  if (dynamic.length || d.shapeNotes.length) lines.push('');

  const ops = Object.entries(d.ops).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  lines.push(`ops (${ops.reduce((n, [, c]) => n + c, 0)} ${d.opUnit}, ${ops.length} kinds)`);
  lines.push(indent(formatTable(['op', 'count'], ops.map(([op, n]) => [op, String(n)]))), '');
  lines.push([...d.details.map(detailText), `on disk: ${formatBytes(d.size)}`].join('; '));
  return lines.join('\n');
}
