import type { ModuleContext, OutputModule, OutputStageResult, SignatureTensor, TensorRef } from '@modelport/core';
import { findClassScores } from './class-scores.js';
import { labelsMetadata } from './labels.js';
import { activationOf, ALL_OUTPUTS, MODULE_NAME, OPTIONS_SCHEMA, type Activation, type ClassificationOptions, type ClassificationOutput } from './options.js';

const FLOAT = { T: { type: 'float32' } } as const;
const DEFAULT_TOP_K = 5;

/** probs from logits: the activation's op, or the logits themselves. */
function activate(ctx: ModuleContext, logits: TensorRef, activation: Activation): TensorRef {
  if (activation === 'softmax') return ctx.ops.node('probs', { op: 'Softmax', inputs: [logits], attrs: FLOAT });
  if (activation === 'sigmoid') return ctx.ops.node('probs', { op: 'Sigmoid', inputs: [logits], attrs: FLOAT });
  return logits;
}

/**
 * The classification stage: the model's class scores flattened to `logits` [batch, C], `probs` (the
 * activation applied) and the top-k of probs as `classes` int32 and `scores` float32 [batch, k],
 * best first, ties to the lower class index (TopKV2, as the adapter ranks). Labels, when given, are
 * checked against the class count and kept in the signature's metadata.
 */
export const classificationModule: OutputModule<ClassificationOptions> = {
  kind: 'output',
  name: MODULE_NAME,
  description: 'class scores out as logits, probabilities and the top-k classes; labels kept with the artifact',
  optionsSchema: OPTIONS_SCHEMA,
  build(ctx, options, modelOutputs): OutputStageResult {
    const scores = findClassScores(ctx, modelOutputs, options.output);
    const classCount = scores.classCount;
    const wanted = new Set<ClassificationOutput>(options.outputs ?? ALL_OUTPUTS);
    const ranked = wanted.has('classes') || wanted.has('scores');
    // The default fits small models (a 2-class one gets its 2); a topK asked for must exist.
    const k = options.topK ?? Math.min(DEFAULT_TOP_K, classCount);
    if (ranked && k > classCount) ctx.fail(`topK is ${k} but output "${scores.key}" has ${classCount} classes`, 'topK');
    const activation = activationOf(ctx, options);
    const metadata = labelsMetadata(ctx, options.labels, options.labelOffset ?? 0, classCount);
    const batch = scores.tensor.shape![0]!;

    const shape = ctx.ops.constant('logits_shape', 'int32', [2], [-1, classCount]);
    const logits = ctx.ops.node('logits', { op: 'Reshape', inputs: [scores.tensor.name, shape], attrs: { ...FLOAT, Tshape: { type: 'int32' } } });
    const probs = activate(ctx, logits, activation);
    const outputs: Record<string, SignatureTensor> = {};
    if (wanted.has('logits')) outputs.logits = { name: logits, dtype: 'float32', shape: [batch, classCount] };
    if (wanted.has('probs')) outputs.probs = { name: probs, dtype: 'float32', shape: [batch, classCount] };
    if (ranked) {
      const kRef = ctx.ops.constant('k', 'int32', [], [k]);
      const top = ctx.ops.node('top_k', { op: 'TopKV2', inputs: [probs, kRef], attrs: { ...FLOAT, sorted: { b: true } } });
      if (wanted.has('classes')) outputs.classes = { name: ctx.ops.outputRef(top, 1), dtype: 'int32', shape: [batch, k] };
      if (wanted.has('scores')) outputs.scores = { name: top, dtype: 'float32', shape: [batch, k] };
    }
    return { outputs, ...(metadata ? { metadata: { ...metadata } } : {}) };
  },
};
