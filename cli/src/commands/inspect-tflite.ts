import type { TfliteDescription, TfliteTensorDescription } from '@modelport/runtime-tflite';
import { formatBytes, formatTable, indent } from '../output/table.js';

function shapeText(t: TfliteTensorDescription): string {
  const shape = `[${t.shape.join(', ')}]`;
  return t.declaredShape ? `${shape} (source [${t.declaredShape.join(', ')}], pinned at export)` : shape;
}


/** What `modelport inspect model.tflite` prints: signatures, operators, tensors, size, producer. */
export function formatTfliteDescription(d: TfliteDescription): string {
  const lines: string[] = [`TFLite schema ${d.schemaVersion}, ${d.subgraphs} subgraph(s); description: ${d.description || '(none)'}`, ''];
  for (const [key, sig] of Object.entries(d.signatures)) {
    lines.push(`signature ${key}`);
    const rows = [
      ...Object.entries(sig.inputs).map(([name, t]) => ['input', name, t.dtype, shapeText(t)]),
      ...Object.entries(sig.outputs).map(([name, t]) => ['output', name, t.dtype, shapeText(t)]),
      ...Object.entries(sig.frozenInputs ?? {}).map(([name, f]) => ['frozen', name, f.dtype, `[${f.shape.join(', ')}] = ${f.shape.length ? `[${f.values.join(', ')}]` : f.values[0]} (an input of the source, a constant since export)`]),
    ];
    lines.push(indent(formatTable(['', 'name', 'dtype', 'shape'], rows)), '');
  }
  const inputs = Object.values(d.signatures).flatMap((s) => Object.entries(s.inputs));
  const dynamic = inputs.filter(([, t]) => t.shape.some((x) => x < 0)).map(([n]) => n);
  const pinned = inputs.filter(([, t]) => t.declaredShape?.some((x) => x < 0)).map(([n]) => n);
  if (dynamic.length) lines.push(`dynamic inputs: ${[...new Set(dynamic)].join(', ')} (-1 = decided at run time)`);
  if (pinned.length) lines.push(`inputs dynamic in the source, static here: ${[...new Set(pinned)].join(', ')}`);
  if (dynamic.length || pinned.length) lines.push('');
  const ops = Object.entries(d.ops).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const operators = ops.reduce((n, [, c]) => n + c, 0);
  lines.push(`operators (${operators} in all, ${ops.length} kinds)`);
  lines.push(indent(formatTable(['op', 'count'], ops.map(([op, n]) => [op, String(n)]))), '');
  lines.push(`tensors: ${d.tensors}; weights ${formatBytes(d.weightBytes)}; file ${formatBytes(d.size)}; metadata: ${d.metadata.join(', ') || '(none)'}`);
  return lines.join('\n');
}
