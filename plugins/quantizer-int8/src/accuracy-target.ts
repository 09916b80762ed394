import { OptionsError, type AccuracyTarget, type AnnotatedInt8, type Logger } from '@modelport/core';
import type { NodeError } from './introduced-error.js';
import type { SimulatedAccuracy } from './simulate/output-agreement.js';

export const ACCURACY_TARGET_REASON = 'accuracy target';
/** Share of the int8 nodes kept float per round. */
const STEP_SHARE = 0.1;
/** Float noise in a cosine of equal outputs. */
const EPSILON = 1e-9;
/** Nodes kept float before the last round that are tried back on int8. */
const MAX_GIVE_BACK = 16;

export interface Annotation {
  readonly annotated: AnnotatedInt8;
  readonly accuracy: SimulatedAccuracy;
}

export interface TargetRound {
  readonly keptFloat: number;
  readonly value: number;
}

export function describeTarget(target: AccuracyTarget): string {
  return `${target.metric}=${target.value}`;
}

/**
 * What the simulation aims for: half the error the target allows. The runtimes' integer kernels
 * round differently from the simulation (emotion, one held-out photo: simulated 1 − 7.7e-5,
 * onnxruntime 1 − 1.3e-4), and validation holds the real runtime to the target.
 */
export function simulationAim(target: AccuracyTarget): number {
  return 1 - (1 - target.value) * 0.5;
}

export function metricOf(accuracy: SimulatedAccuracy, target: AccuracyTarget): number {
  if (target.metric === 'cosine') return accuracy.cosine;
  if (accuracy.top1 === undefined) {
    throw new OptionsError(`accuracy target ${describeTarget(target)}: top-1 agreement needs an output shaped [N, C] with C > 1, and this model has none; use cosine=VALUE`);
  }
  return accuracy.top1;
}

/**
 * Keeps float the int8 nodes that add the most error, a tenth of them (at least one) per round,
 * re-annotating and re-simulating until the simulated metric meets the target. Fails, naming the
 * target and the best value reached, when it cannot (int8-full keeps nothing float).
 */
export async function meetAccuracyTarget(args: {
  readonly target: AccuracyTarget;
  readonly full: boolean;
  readonly first: Annotation;
  /** The int8 nodes of the first annotation, worst first. */
  readonly ranking: readonly NodeError[];
  annotate(keep: ReadonlyMap<string, string>): AnnotatedInt8;
  measure(annotated: AnnotatedInt8): Promise<SimulatedAccuracy>;
  readonly logger: Logger;
}): Promise<Annotation & { readonly rounds: readonly TargetRound[] }> {
  const { target, ranking, logger } = args;
  let current = args.first;
  let value = metricOf(current.accuracy, target);
  let best = value;
  const rounds: TargetRound[] = [{ keptFloat: 0, value }];
  const keep = new Map<string, string>();
  const step = Math.max(1, Math.ceil(STEP_SHARE * args.first.annotated.int8Nodes));
  let lastStart = 0;
  while (value < simulationAim(target) - EPSILON) {
    if (args.full) {
      throw new OptionsError(`accuracy target ${describeTarget(target)} is not met: simulated ${target.metric} ${value.toFixed(6)}, and int8-full runs every node on int8, so none can be kept float; use --quantize int8 to let the target keep layers float`);
    }
    if (keep.size >= ranking.length) {
      throw new OptionsError(`accuracy target ${describeTarget(target)} cannot be met: the best simulated ${target.metric} is ${best.toFixed(6)}, with all ${ranking.length} int8 node(s) kept float`);
    }
    lastStart = keep.size;
    for (const n of ranking.slice(keep.size, keep.size + step)) keep.set(n.node, ACCURACY_TARGET_REASON);
    const annotated = args.annotate(keep);
    current = { annotated, accuracy: await args.measure(annotated) };
    value = metricOf(current.accuracy, target);
    best = Math.max(best, value);
    rounds.push({ keptFloat: keep.size, value });
    logger.info(`accuracy target ${describeTarget(target)}: ${keep.size} node(s) kept float, simulated ${target.metric} ${value.toFixed(6)}`);
  }
  return giveBack({ ...args, current, rounds, keep, lastStart });
}

/**
 * Nodes kept float in rounds before the one that met the target may not be needed (a node whose
 * error the ranking overrated): each is given back to int8, least error first, if the target still
 * holds without it. At most MAX_GIVE_BACK trials.
 */
async function giveBack(args: {
  readonly target: AccuracyTarget; readonly ranking: readonly NodeError[]; readonly current: Annotation; readonly rounds: TargetRound[];
  readonly keep: Map<string, string>; readonly lastStart: number; readonly logger: Logger;
  annotate(keep: ReadonlyMap<string, string>): AnnotatedInt8; measure(annotated: AnnotatedInt8): Promise<SimulatedAccuracy>;
}): Promise<Annotation & { readonly rounds: readonly TargetRound[] }> {
  const { target, keep, rounds } = args;
  let current = args.current;
  const earlier = args.ranking.slice(0, args.lastStart).reverse();
  for (const n of earlier.slice(0, MAX_GIVE_BACK)) {
    const trial = new Map(keep);
    trial.delete(n.node);
    const annotated = args.annotate(trial);
    const accuracy = await args.measure(annotated);
    const value = metricOf(accuracy, target);
    if (value < simulationAim(target) - EPSILON) continue;
    keep.delete(n.node);
    current = { annotated, accuracy };
    rounds.push({ keptFloat: keep.size, value });
    args.logger.info(`accuracy target ${describeTarget(target)}: "${n.node}" back on int8, simulated ${target.metric} ${value.toFixed(6)}`);
  }
  return { ...current, rounds };
}
