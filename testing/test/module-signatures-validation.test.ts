import { expect } from 'chai';
import { exportModulePlugin, GraphBuilder, type Contribution, type ExportModule, type Graph } from '@modelport/core';
import { IMAGE_SIZE } from '@modelport/validation';
import { runPipeline } from '../src/index.js';

// Validation of module signatures through the real pipeline: the tfjs artifact's every signature
// against the source composed the same way, and the report of an export without them unchanged.

// A colour classifier (mean RGB → dense → softmax) with two module signatures around it: "pixels"
// takes a uint8 image of any size and averages it; "top" answers the best class as int32.

const F = { T: { type: 'float32' } } as const;
const WEIGHTS = [0.9, -0.4, 0.2, -0.3, 0.8, 0.1, 0.5, 0.3, -0.7];

function classifier(weights: readonly number[] = WEIGHTS): Graph {
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

const pixels: ExportModule = {
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

const top: ExportModule = {
  kind: 'output', name: 'top',
  build(ctx, _o, outputs) {
    const scores = outputs.scores ?? ctx.fail('the model has no output "scores"');
    const axis = ctx.ops.constant('axis', 'int32', [], [1]);
    const best = ctx.ops.node('best', { op: 'ArgMax', inputs: [scores.name, axis], attrs: { ...F, Tidx: { type: 'int32' }, output_type: { type: 'int32' } } });
    return { outputs: { class: { name: best, dtype: 'int32', shape: [-1] }, scores } };
  },
};

const MODULES: Contribution<ExportModule>[] = [{ plugin: 'colour-modules', value: pixels }, { plugin: 'colour-modules', value: top }];
const SIGNATURES = { serving_default: ['pixels', 'top'], features: ['pixels'] };

describe('validation of module signatures through the export pipeline', function () {
  this.timeout(120_000);

  it('checks every signature of the tfjs artifact in the tfjs runtime against the composed source', async () => {
    const plugins = MODULES.map((m) => exportModulePlugin(m.value, { name: `@acme/${m.value.name}`, version: '0.1.0' }));
    const run = await runPipeline({ graph: classifier(), plugins, targets: ['tfjs'], options: { signatures: SIGNATURES } });
    const report = run.artifact('tfjs').validation!;
    expect(report.ok).to.equal(true);
    expect(report.signatures!.serving_default).to.deep.equal({ stages: ['pixels', 'model', 'top'], inputs: { image: [1, IMAGE_SIZE.height, IMAGE_SIZE.width, 3] }, ok: true });
    expect(report.outputs.find((o) => o.output === 'serving_default/class')).to.deep.include({ ok: true, maxAbsDiff: 0 });
    expect(Object.keys(report.signatures!)).to.have.members(['serving_default', 'features', 'source']);
    const manifest = JSON.parse(await run.read('export.json'));
    expect(manifest.validation.tfjs.signatures.features).to.deep.include({ stages: ['pixels', 'model'], ok: true });
  });

  it('keeps the single-signature report as it was when no module signatures are asked', async () => {
    const run = await runPipeline({ graph: classifier(), targets: ['tfjs'] });
    const report = run.artifact('tfjs').validation!;
    expect(report.ok).to.equal(true);
    expect(report.signatures).to.equal(undefined);
    expect(report.outputs.map((o) => o.output)).to.deep.equal(['scores']);
  });
});
