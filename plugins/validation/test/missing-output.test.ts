import { expect } from 'chai';
import {
  createHooks, GraphBuilder, GraphExecutor, silentLogger, ValidationError,
  type ExportContext, type ExportOptions, type ExportResult, type Graph, type Predictor, type QuantizeMode,
} from '@modelport/core';
import { validation } from '../src/index.js';

// A classifier with two outputs, and a runtime for its artifact that returns only `scores`, the way
// an exporter that forgot an output of the signature would leave it.

const FORMAT = 'scores-only';

function classifier(weights: readonly number[]): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 4]);
  const w = b.constant('w', 'float32', [4, 3], weights);
  const logits = b.node('logits', { op: 'MatMul', inputs: [x, w] });
  const scores = b.node('scores', { op: 'Softmax', inputs: [logits] });
  return b.outputs(scores, logits).signature('serving_default', {
    inputs: { x: { name: x, dtype: 'float32', shape: [1, 4] } },
    outputs: { scores: { name: scores, dtype: 'float32', shape: [1, 3] }, logits: { name: logits, dtype: 'float32', shape: [1, 3] } },
  }).build();
}

const WEIGHTS = [0.9, -0.4, 0.2, -0.3, 0.8, 0.1, 0.5, 0.3, -0.7, -0.2, 0.1, 0.6];

async function validate(opts: { artifactWeights?: readonly number[]; tolerance?: number; quantize?: QuantizeMode } = {}): Promise<Error | undefined> {
  const hooks = createHooks();
  await validation.apply(hooks, { fillUnknownDims: 64 }, undefined as never);
  hooks.serve.for(FORMAT).tapPromise('scores-only runtime', async () => {
    const executor = await GraphExecutor.create(classifier(opts.artifactWeights ?? WEIGHTS));
    const predictor: Predictor = {
      format: FORMAT, signatures: {},
      async predict(inputs) { const [scores] = await executor.run({ x: inputs.x! }); return { scores: scores! }; },
      async dispose() { executor.dispose(); },
    };
    return predictor;
  });
  const options: ExportOptions = {
    targets: ['onnx'], out: '/nonexistent', validate: true,
    ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}), ...(opts.quantize ? { quantize: opts.quantize } : {}),
  };
  const source = classifier(WEIGHTS);
  const ctx: ExportContext = { request: { source: { format: 'test' }, options }, options, logger: silentLogger, notes: [], data: new Map(), sourceGraph: source };
  const result: ExportResult = {
    context: ctx, graph: source, dir: '/nonexistent',
    artifacts: [{ target: 'onnx', format: FORMAT, plugin: 'acme-exporter', path: 'model.onnx', files: ['model.onnx'] }], validation: {},
  };
  return hooks.afterExport.promise(result).then(() => undefined, (e: Error) => e);
}

const MISSING = 'the onnx artifact (model.onnx, written by acme-exporter) lacks output "logits" that the source returns; '
  + "the exporter must produce every output of the source's signature (a tolerance cannot accept a missing output)";

describe('validation of an artifact that lacks an output of the source', function () {
  this.timeout(60_000);

  it('names the output, the artifact and its exporter, and does not suggest --tolerance', async () => {
    const error = await validate();
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.message).to.contain(MISSING);
    expect(error!.message).not.to.contain('set --tolerance');
  });

  it('reports the missing output first and the outputs that differ besides, still without --tolerance', async () => {
    const error = await validate({ artifactWeights: WEIGHTS.map((w) => w * 1.5) });
    expect(error!.message).to.contain(`${MISSING}; besides, the exported model differs from the source: onnx output "scores": max |Δ|`);
    expect(error!.message).not.to.contain('--tolerance to accept');
  });

  it('says the same for an integer-quantized artifact, not "raise --tolerance"', async () => {
    const error = await validate({ quantize: 'int8' });
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.message).to.contain(MISSING);
    expect(error!.message).not.to.contain('--tolerance');
  });
});
