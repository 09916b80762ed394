import type { DetectionOptions } from '@modelport/adapter-detection';
import type { TensorRef } from '@modelport/core';
import type { GraphOps } from './graph-ops.js';
import type { DetectorOutputs } from './model-outputs.js';

/**
 * Per-class scores [batch, anchors, classes] as the adapter reads them: the activation, then the
 * background column dropped. One score per box takes sigmoid only (softmax of one value is 1).
 */
export function classScores(ops: GraphOps, model: DetectorOutputs, options: DetectionOptions): { scores: TensorRef; classes: number } {
  const activation = options.scoreActivation ?? 'none';
  let s = model.scores;
  if (activation === 'sigmoid') s = ops.sigmoid(s);
  else if (activation === 'softmax' && !model.singleScore) s = ops.softmax(s);
  if (!options.backgroundClass || model.singleScore) return { scores: s, classes: model.classes };
  return { scores: ops.lastAxis(s, 3, 1, model.classes), classes: model.classes - 1 };
}
