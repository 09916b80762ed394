import {
  defaultSignature, formatShape, inferShapes, sizeOfShape, type Graph, type ShapeInference, type SignatureTensor,
} from '@modelport/core';
import { formatBytes, formatTable, indent } from '../output/table.js';

/** The inferred symbolic shape ([N, ceil(H/32), …]); with what the signature declares when inference knows nothing. */
function shapeText(t: SignatureTensor, inference: ShapeInference): string {
  const inferred = inference.shape(t.name);
  if (inferred !== null || t.shape === null) return formatShape(inferred);
  return `(unknown rank; declared [${t.shape.join(', ')}])`;
}

/** What `modelport inspect` prints of a Graph: signatures, op histogram, weights and size. */
export function describeGraph(graph: Graph, fileBytes: number): string {
  const lines: string[] = [];
  const inference = inferShapes(graph);
  const signatures = Object.keys(graph.signatures).length ? graph.signatures : { serving_default: defaultSignature(graph) };
  for (const [key, sig] of Object.entries(signatures)) {
    lines.push(`signature ${key}`);
    const rows = [
      ...Object.entries(sig.inputs).map(([name, t]) => ['input', name, t.name, String(t.dtype), shapeText(t, inference)]),
      ...Object.entries(sig.outputs).map(([name, t]) => ['output', name, t.name, String(t.dtype), shapeText(t, inference)]),
      ...Object.entries(sig.frozenInputs ?? {}).map(([name, f]) => ['frozen', name, f.name, String(f.dtype), `[${f.shape.join(', ')}] = ${f.shape.length ? `[${f.values.join(', ')}]` : f.values[0]} (an input of the source, a constant since export)`]),
    ];
    lines.push(indent(formatTable(['', 'name', 'tensor', 'dtype', 'shape'], rows)), '');
  }
  const dynamic = Object.entries(signatures).flatMap(([, s]) => Object.entries(s.inputs))
    .filter(([, t]) => t.shape === null || t.shape.some((d) => d < 0)).map(([n]) => n);
  if (dynamic.length) lines.push(`dynamic inputs: ${[...new Set(dynamic)].join(', ')}`);
  if (inference.symbols.length) {
    const named = inference.symbols.map((s) => `${s.name} = ${s.input}[${s.axis}]`).join(', ');
    lines.push(`sizes: ${named} (given at run time); ?k decided by data (Where, NMS); ? unknown before run time`);
  }
  if (dynamic.length || inference.symbols.length) lines.push('');

  const histogram = new Map<string, number>();
  for (const n of graph.nodes) histogram.set(n.op, (histogram.get(n.op) ?? 0) + 1);
  const ops = [...histogram.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  lines.push(`ops (${graph.nodes.length} nodes, ${ops.length} kinds)`);
  lines.push(indent(formatTable(['op', 'count'], ops.map(([op, n]) => [op, String(n)]))), '');

  let parameters = 0, weightBytes = 0;
  for (const c of graph.constants.values()) {
    const size = sizeOfShape(c.shape);
    parameters += size;
    weightBytes += ArrayBuffer.isView(c.values) ? c.values.byteLength : 0;
  }
  lines.push(`weights: ${graph.constants.size} tensors, ${parameters.toLocaleString('en-US')} values, ${formatBytes(weightBytes)} in memory; files ${formatBytes(fileBytes)}`);
  return lines.join('\n');
}

