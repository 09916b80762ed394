import {
  annotateInt8, collectTensorRanges, QUANTIZATION_SUMMARY_KEY, type AnnotatedInt8, type ExportContext, type Graph, type Node,
} from '@modelport/core';
import { meetAccuracyTarget, type Annotation, type TargetRound } from '../accuracy-target.js';
import { loadCalibration } from '../calibration/load-calibration.js';
import { calibrationInputs } from '../calibration/inputs.js';
import type { Sample } from '../calibration/types.js';
import { rankByIntroducedError } from '../introduced-error.js';
import { keepFloatRule } from '../keep-float.js';
import { reportLayers, reportNotes, summaryOf, writeReport, type QuantizationReport } from '../report.js';
import { Simulator } from '../simulate/simulator.js';
import { weightCounts } from '../weight-counts.js';

/** Calibration samples the per-layer report runs on (two graphs, every quantized tensor fetched). */
export const REPORT_SAMPLES = 32;

function progress(ctx: ExportContext, what: string): (done: number, total: number) => void {
  const every = (total: number) => Math.max(1, Math.round(total / 10));
  return (done, total) => { if (done % every(total) === 0 || done === total) ctx.logger.info(`${what} ${done}/${total} samples`); };
}

/**
 * int8 and int8-full: activation ranges calibrated on samples, int8 annotation (nodes of
 * --keep-float stay float), a simulation of the result against float, and, with an accuracy
 * target, the worst nodes kept float until it is met. Leaves the held-out samples on the context.
 */
export async function quantizeInt8(graph: Graph, ctx: ExportContext, plugin: string): Promise<Graph> {
  const { options, logger } = ctx;
  const mode = options.quantize as 'int8' | 'int8-full';
  const full = mode === 'int8-full';
  const calibration = await loadCalibration(graph, options, logger);
  const ranges = await collectTensorRanges(graph, calibration.samples, {
    logger, ...(options.calibrationPercentile !== undefined ? { percentile: options.calibrationPercentile } : {}),
    onSample: progress(ctx, 'calibration: ranges over'),
  });
  const byGlob = keepFloatRule(graph, options.keepFloat, logger);
  const annotate = (keep: ReadonlyMap<string, string>): AnnotatedInt8 => annotateInt8(graph, ranges, {
    full, ...(full ? { ioType: options.ioType ?? 'uint8' } : {}), keepFloat: (node: Node) => byGlob(node) ?? keep.get(node.name),
  });

  const reportSamples = calibration.samples.slice(0, REPORT_SAMPLES);
  const accuracySamples: readonly Sample[] = calibration.heldOut.length ? calibration.heldOut : reportSamples;
  const simulator = await Simulator.create(graph, calibrationInputs(graph), logger);
  let final: Annotation;
  let rounds: readonly TargetRound[] | undefined;
  let errors;
  try {
    const first = annotate(new Map());
    const measure = (a: AnnotatedInt8) => simulator.accuracy(a.graph, accuracySamples);
    errors = await simulator.tensorErrors(first.graph, reportSamples);
    final = { annotated: first, accuracy: await measure(first) };
    if (options.accuracyTarget) {
      const met = await meetAccuracyTarget({
        target: options.accuracyTarget, full, first: final, ranking: rankByIntroducedError(first.graph, errors), annotate, measure, logger,
      });
      ({ rounds } = met);
      if (met.annotated !== first) errors = await simulator.tensorErrors(met.annotated.graph, reportSamples);
      final = met;
    }
  } finally {
    simulator.dispose();
  }

  const { annotated, accuracy } = final;
  const report: QuantizationReport = {
    mode, plugin,
    calibration: {
      source: calibration.source, ...(calibration.path ? { path: calibration.path } : {}), samples: calibration.samples.length, heldOut: calibration.heldOut.length,
      ...(options.calibrationPercentile !== undefined ? { percentile: options.calibrationPercentile } : {}),
    },
    weights: weightCounts(annotated.graph),
    int8Nodes: annotated.int8Nodes,
    keptFloat: annotated.keptFloat,
    simulated: { ...accuracy, on: calibration.heldOut.length ? 'held-out' : 'calibration' },
    ...(options.accuracyTarget && rounds ? { accuracyTarget: { ...options.accuracyTarget, rounds } } : {}),
    layers: reportLayers(errors, rankByIntroducedError(annotated.graph, errors)),
  };
  if (options.quantizeReport) await writeReport(options.quantizeReport, report);
  ctx.notes.push(...reportNotes(report, plugin));
  if (calibration.heldOut.length) ctx.heldOutSamples = calibration.heldOut;
  return { ...annotated.graph, metadata: { ...annotated.graph.metadata, [QUANTIZATION_SUMMARY_KEY]: summaryOf(report) } };
}
