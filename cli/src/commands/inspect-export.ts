import type { LayerError, QuantizationSummary, Signature, ValidationReport } from '@modelport/core';
import { formatBytes, formatTable, indent } from '../output/table.js';
import { formatExportSignatures } from './inspect-signatures.js';

/** The parts of export.json `modelport inspect` shows. */
interface ExportRecord {
  readonly model?: string;
  readonly createdAt?: string;
  readonly targets?: readonly { target: string; path: string; files?: readonly string[] }[];
  readonly files?: Readonly<Record<string, { bytes?: number }>>;
  readonly quantization?: QuantizationSummary;
  readonly validation?: Readonly<Record<string, ValidationReport>>;
  readonly signatures?: Readonly<Record<string, Signature>>;
}

const LAYERS_SHOWN = 20;

function layerRow(l: LayerError): string[] {
  return [l.tensor, l.op, l.scale.toExponential(2), l.rmseOverScale.toFixed(3), l.meanError.toExponential(2), l.maxError.toExponential(2)];
}

/** What `modelport inspect export.json` prints: signatures (with their stages), artifacts, their validation, and the quantization report. */
export function formatExportRecord(record: ExportRecord): string {
  const lines: string[] = [`model ${record.model ?? '?'}, exported ${record.createdAt ?? '?'}`, ''];
  const rows = (record.targets ?? []).map((t) => {
    const bytes = (t.files ?? [t.path]).reduce((n, f) => n + (record.files?.[f]?.bytes ?? 0), 0);
    const v = record.validation?.[t.target];
    // Integer modes measure accuracy over several samples; other exports compare outputs on one input.
    const outputs: readonly { cosine: number; top1?: number }[] = v?.accuracy?.outputs ?? v?.outputs ?? [];
    const top1 = outputs.map((o) => o.top1).filter((x): x is number => x !== undefined);
    const samples = v?.accuracy ? ` (${v.accuracy.samples} ${v.accuracy.inputs} sample(s))` : '';
    return [t.target, t.path, formatBytes(bytes), v ? `${v.ok ? 'ok' : 'FAILED'}${samples}` : 'not validated',
      outputs.length ? Math.min(...outputs.map((o) => o.cosine)).toFixed(5) : '—', top1.length ? Math.min(...top1).toFixed(3) : '—'];
  });
  lines.push(indent(formatTable(['target', 'artifact', 'size', 'validation', 'cosine (worst output)', 'top-1 agreement'], rows)), '');
  if (record.signatures) lines.push(...formatExportSignatures(record.signatures, record.validation));
  const q = record.quantization;
  if (!q) return [...lines, 'quantization: none'].join('\n');
  lines.push(`quantization: ${q.mode} (${q.plugin}); weights quantized ${q.weights.quantized}, kept float ${q.weights.kept}${q.int8Nodes !== undefined ? `; int8 nodes ${q.int8Nodes}` : ''}`);
  if (q.calibration) {
    const c = q.calibration;
    lines.push(`calibration: ${c.source === 'random' ? 'seeded noise (the ranges do not come from data)' : c.path ?? 'data'}; ${c.samples} sample(s) set the ranges, ${c.heldOut} held out${c.percentile ? `; ${c.percentile}th percentile` : ''}`);
  }
  if (q.simulated) lines.push(`simulated against float on held-out samples: cosine ${q.simulated.cosine.toFixed(5)}${q.simulated.top1 !== undefined ? `, top-1 agreement ${q.simulated.top1.toFixed(3)}` : ''}`);
  if (q.keptFloat?.length) {
    lines.push('', `kept float (${q.keptFloat.length})`);
    lines.push(indent(formatTable(['node', 'op', 'why'], q.keptFloat.map((k) => [k.node, k.op, k.reason]))));
  }
  if (q.layers?.length) {
    lines.push('', `per-layer error, worst first (${Math.min(LAYERS_SHOWN, q.layers.length)} of ${q.layers.length})`);
    lines.push(indent(formatTable(['tensor', 'op', 'scale', 'RMSE / scale', 'mean error', 'max error'], q.layers.slice(0, LAYERS_SHOWN).map(layerRow))));
  }
  return lines.join('\n');
}
