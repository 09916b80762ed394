import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AccuracyTarget, KeptFloat, LayerError, QuantizationSummary } from '@modelport/core';
import type { TargetRound } from './accuracy-target.js';
import type { NodeError } from './introduced-error.js';
import type { SimulatedAccuracy } from './simulate/output-agreement.js';
import type { TensorError } from './simulate/simulator.js';

/** Layers the summary in export.json keeps; the report file has them all. */
export const SUMMARY_LAYERS = 50;

/** The per-layer report --quantize-report writes: the summary's facts, every layer, the target's rounds. */
export interface QuantizationReport extends Omit<QuantizationSummary, 'layers' | 'simulated'> {
  readonly simulated: SimulatedAccuracy & { readonly on: 'held-out' | 'calibration' };
  readonly accuracyTarget?: AccuracyTarget & { readonly rounds: readonly TargetRound[] };
  /** Worst (RMSE / scale) first, with the error each int8 node adds to its inputs'. */
  readonly layers: readonly (LayerError & { readonly relativeRmse: number; readonly introduced?: number })[];
}

export function layerErrors(errors: readonly TensorError[]): LayerError[] {
  return errors.map(({ tensor, op, scale, rmseOverScale, meanError, maxError }) => ({ tensor, op, scale, rmseOverScale, meanError, maxError }));
}

export function reportLayers(errors: readonly TensorError[], introduced: readonly NodeError[]): QuantizationReport['layers'] {
  const byNode = new Map(introduced.map((n) => [n.node, n.introduced]));
  return errors.map((e) => {
    const added = e.tensor.endsWith(':0') ? byNode.get(e.tensor.slice(0, -2)) : undefined;
    return { ...layerErrors([e])[0]!, relativeRmse: e.relativeRmse, ...(added !== undefined ? { introduced: added } : {}) };
  });
}

export function summaryOf(report: QuantizationReport): QuantizationSummary {
  const { simulated, accuracyTarget: _, layers, ...rest } = report;
  return {
    ...rest,
    layers: layers.slice(0, SUMMARY_LAYERS).map(({ relativeRmse: _r, introduced: _i, ...layer }) => layer),
    simulated: { cosine: simulated.cosine, ...(simulated.top1 !== undefined ? { top1: simulated.top1 } : {}) },
  };
}

/** Writes the report as JSON through a temp file and a rename, so a reader never sees half of it. */
export async function writeReport(file: string, report: QuantizationReport): Promise<void> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(temp, `${JSON.stringify(report, null, 2)}\n`);
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

/** "a", "b", "c" and 4 more. */
function firstNames(kept: readonly KeptFloat[], count = 3): string {
  const names = kept.slice(0, count).map((k) => k.node).join(', ');
  return kept.length > count ? `${names} and ${kept.length - count} more` : names;
}

/** The lines the export summary shows. */
export function reportNotes(report: QuantizationReport, plugin: string): string[] {
  const c = report.calibration!;
  const from = c.source === 'random' ? `seeded noise (${c.samples} samples, not data: the ranges say little about real inputs)`
    : `${c.samples} calibration sample(s)${c.path ? ` of ${c.path}` : ''}`;
  const kept = report.keptFloat ?? [];
  const s = report.simulated;
  const lines = [
    `${plugin}: ${report.mode}: ranges from ${from}, ${c.heldOut} held out${c.percentile ? `, ${c.percentile}th percentile` : ''}`,
    `${plugin}: ${report.int8Nodes} node(s) on int8, ${kept.length} kept float${kept.length ? ` (${firstNames(kept)})` : ''}; ${report.weights.quantized} weight(s) int8`,
    `${plugin}: simulated against float on ${s.samples} ${s.on} sample(s): cosine ${s.cosine.toFixed(5)}${s.top1 !== undefined ? `, top-1 agreement ${s.top1.toFixed(3)}` : ''}`,
  ];
  if (report.accuracyTarget) {
    const t = report.accuracyTarget;
    lines.push(`${plugin}: accuracy target ${t.metric}=${t.value} met with ${t.rounds.at(-1)!.keptFloat} node(s) kept float for it`);
  }
  return lines;
}
