// A colour classifier with two module signatures around it, for the tests of module signatures
// across packages: reached as "@modelport/core/testing", not part of the API.
import { GraphBuilder } from '../graph/builder.js';
import type { Graph } from '../graph/types.js';
import type { ExportModule } from '../export-modules/module.js';
import type { Contribution } from '../contributions.js';

const F = { T: { type: 'float32' } } as const;

/** The colour classifier's dense weights, [3, 3] row-major. */
export const COLOUR_WEIGHTS: readonly number[] = [0.9, -0.4, 0.2, -0.3, 0.8, 0.1, 0.5, 0.3, -0.7];

/** Mean RGB x [-1, 3] → dense → softmax scores [-1, 3]; signature serving_default. */
export function colourClassifier(weights: readonly number[] = COLOUR_WEIGHTS): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 3]);
  const w = b.constant('w', 'float32', [3, 3], weights);
  const logits = b.node('logits', { op: 'MatMul', inputs: [x, w], attrs: { ...F, transpose_a: { b: false }, transpose_b: { b: false } } });
  const scores = b.node('scores', { op: 'Softmax', inputs: [logits], attrs: F });
  return b.outputs(scores).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [-1, 3] } },
    outputs: { scores: { name: 'scores:0', dtype: 'float32', shape: [-1, 3] } },
  }).build();
}

/** Input module "pixels": a uint8 image of any size → its mean colour in [0, 1], the model's x. */
export const meanColourModule: ExportModule = {
  kind: 'input', name: 'pixels',
  build(ctx) {
    const image = ctx.ops.input('image', 'uint8', [-1, -1, -1, 3]);
    const f = ctx.ops.node('to_float', { op: 'Cast', inputs: [image], attrs: { SrcT: { type: 'uint8' }, DstT: { type: 'float32' }, Truncate: { b: false } } });
    const scale = ctx.ops.constant('scale', 'float32', [], [255]);
    const unit = ctx.ops.node('unit', { op: 'RealDiv', inputs: [f, scale], attrs: F });
    const axes = ctx.ops.constant('axes', 'int32', [2], [1, 2]);
    return { feeds: { x: ctx.ops.node('mean', { op: 'Mean', inputs: [unit, axes], attrs: { ...F, Tidx: { type: 'int32' }, keep_dims: { b: false } } }) } };
  },
};

/** Output module "top": the best class as int32, beside the scores. */
export const bestColourModule: ExportModule = {
  kind: 'output', name: 'top',
  build(ctx, _o, outputs) {
    const scores = outputs.scores ?? ctx.fail('the model has no output "scores"');
    const axis = ctx.ops.constant('axis', 'int32', [], [1]);
    const best = ctx.ops.node('best', { op: 'ArgMax', inputs: [scores.name, axis], attrs: { ...F, Tidx: { type: 'int32' }, output_type: { type: 'int32' } } });
    return { outputs: { class: { name: best, dtype: 'int32', shape: [-1] }, scores } };
  },
};

/** Both modules as contributions, as composeSignatures takes them. */
export const COLOUR_MODULES: readonly Contribution<ExportModule>[] = [
  { plugin: 'colour-modules', value: meanColourModule },
  { plugin: 'colour-modules', value: bestColourModule },
];
