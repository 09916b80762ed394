import type { ModuleContext, SignatureTensor, TensorRef } from '@modelport/core';
import type { GraphOps } from './graph-ops.js';

/** The model's boxes and scores, joined along the anchor axis, with the sizes the graph is built for. */
export interface DetectorOutputs {
  /** [batch, anchors, columns] */
  readonly boxes: TensorRef;
  /** [batch, anchors, classes] (a [batch, anchors] output gets a class axis of 1) */
  readonly scores: TensorRef;
  readonly batch: number;
  readonly anchors: number;
  readonly columns: number;
  readonly classes: number;
  /** The scores came without a class axis (one score per box). */
  readonly singleScore: boolean;
}

/** The outputs named in options (one or a list), else the only one whose name says `what`, as the adapter finds them. */
function pick(ctx: ModuleContext, outputs: Readonly<Record<string, SignatureTensor>>, configured: string | readonly string[] | undefined, pattern: RegExp, what: string): Part[] {
  const names = Object.keys(outputs);
  let wanted: string[];
  if (configured) {
    wanted = typeof configured === 'string' ? [configured] : [...configured];
    for (const name of wanted) if (!outputs[name]) ctx.fail(`the model has no output "${name}" (it has ${names.join(', ')})`, `outputs.${what}`);
  } else {
    wanted = names.filter((n) => pattern.test(n));
    if (wanted.length !== 1) ctx.fail(`cannot tell which output holds the ${what} (${names.join(', ')}): set "outputs": { "${what}": … }`, `outputs.${what}`);
  }
  return wanted.map((name) => {
    const t = outputs[name]!;
    if (!t.shape) ctx.fail(`the model's output "${name}" has no known shape; the detection stage needs its batch and anchor sizes`, `outputs.${what}`);
    return [name, { name: t.name, shape: t.shape }];
  });
}

type Part = [string, { name: TensorRef; shape: readonly number[] }];

const shapeText = (parts: Part[]) => parts.map(([n, t]) => `${n} [${t.shape.join(', ')}]`).join(', ');

/**
 * Finds the boxes ([batch, anchors, 4 + 2·keypoints or more]) and scores ([batch, anchors, classes]
 * or [batch, anchors]); lists are joined in order. Sizes must be known: NMS's output bound and the
 * candidate grouping are fixed when the graph is built.
 */
export function detectorOutputs(ctx: ModuleContext, ops: GraphOps, outputs: Readonly<Record<string, SignatureTensor>>,
  names: { boxes?: string | readonly string[]; scores?: string | readonly string[] } | undefined, minColumns: number): DetectorOutputs {
  const boxParts = pick(ctx, outputs, names?.boxes, /box/i, 'boxes');
  const scoreParts = pick(ctx, outputs, names?.scores, /score|logit|class_pred/i, 'scores');
  if ([...boxParts, ...scoreParts].some(([, t]) => t.shape.some((d) => d < 0))) {
    ctx.fail(`the detection stage needs the model's batch size and anchor count fixed; the model gives ${shapeText([...boxParts, ...scoreParts])}`);
  }
  const batch = boxParts[0]![1].shape[0]!;
  const columns = boxParts[0]![1].shape[2]!;
  const boxesFit = boxParts.every(([, t]) => t.shape.length === 3 && t.shape[0] === batch && t.shape[2] === columns && t.shape[1]! > 0 && columns >= minColumns);
  if (!boxesFit) ctx.fail(`boxes must be [batch, anchors, ${minColumns === 4 ? '4 or more' : `${minColumns} or more`}], all of one batch and width; the model gives ${shapeText(boxParts)}`, 'outputs.boxes');
  const rank = scoreParts[0]![1].shape.length;
  const scoresFit = scoreParts.every(([, t]) => (t.shape.length === 3 || t.shape.length === 2) && t.shape.length === rank && t.shape[0] === batch && t.shape[1]! > 0 && (rank === 2 || t.shape[2] === scoreParts[0]![1].shape[2]));
  if (!scoresFit) ctx.fail(`scores must be [batch, anchors, classes] or [batch, anchors], all alike and of the boxes' batch; the model gives ${shapeText(scoreParts)}`, 'outputs.scores');
  const anchors = boxParts.reduce((a, [, t]) => a + t.shape[1]!, 0);
  const scoreAnchors = scoreParts.reduce((a, [, t]) => a + t.shape[1]!, 0);
  if (anchors !== scoreAnchors) ctx.fail(`the model gives ${anchors} boxes but ${scoreAnchors} scores (${shapeText([...boxParts, ...scoreParts])})`, 'outputs');
  const classes = rank === 3 ? scoreParts[0]![1].shape[2]! : 1;
  const boxes = ops.concat(boxParts.map(([, t]) => t.name), 1);
  const joined = ops.concat(scoreParts.map(([, t]) => t.name), 1);
  return { boxes, scores: rank === 3 ? joined : ops.reshape(joined, [batch, anchors, 1]), batch, anchors, columns, classes, singleScore: rank === 2 };
}
