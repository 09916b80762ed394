import { expect } from 'chai';
import {
  createHooks, GraphBuilder, GraphExecutor, silentLogger, ValidationError,
  type ArtifactRecord, type ExportContext, type ExportOptions, type ExportResult, type Graph, type Predictor,
} from '@modelport/core';
import { validation } from '../src/index.js';

// A package artifact (as the tfhub exporter writes) holds two formats; each has a runtime here that
// runs the classifier with the weights it was exported with.

function classifier(weights: readonly number[]): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 4]);
  const w = b.constant('w', 'float32', [4, 3], weights);
  const scores = b.node('scores', { op: 'Softmax', inputs: [b.node('logits', { op: 'MatMul', inputs: [x, w] })] });
  return b.outputs(scores).signature('serving_default', {
    inputs: { x: { name: x, dtype: 'float32', shape: [1, 4] } },
    outputs: { scores: { name: scores, dtype: 'float32', shape: [1, 3] } },
  }).build();
}

const WEIGHTS = [0.9, -0.4, 0.2, -0.3, 0.8, 0.1, 0.5, 0.3, -0.7, -0.2, 0.1, 0.6];

function packageRecord(variants: readonly string[]): ArtifactRecord {
  return {
    target: 'pkg', format: 'pkg', plugin: 'acme-packager', path: 'pkg/README.md', files: ['pkg/README.md'],
    details: { variants: variants.map((v) => ({ variant: v, format: v, plugin: `acme-${v}`, path: `pkg/${v}/model`, files: [`pkg/${v}/model`] })) },
  };
}

async function validate(record: ArtifactRecord, weightsOf: Record<string, readonly number[]>): Promise<{ error?: Error; result: ExportResult; served: string[] }> {
  const hooks = createHooks();
  await validation.apply(hooks, { fillUnknownDims: 64 }, undefined as never);
  const served: string[] = [];
  for (const [format, weights] of Object.entries(weightsOf)) {
    hooks.serve.for(format).tapPromise(`${format} runtime`, async (request) => {
      served.push(`${format} ${request.path}`);
      const executor = await GraphExecutor.create(classifier(weights));
      const predictor: Predictor = {
        format, signatures: {},
        async predict(inputs) { const [scores] = await executor.run({ x: inputs.x! }); return { scores: scores! }; },
        async dispose() { executor.dispose(); },
      };
      return predictor;
    });
  }
  const options: ExportOptions = { targets: ['pkg'], out: '/nonexistent', validate: true };
  const source = classifier(WEIGHTS);
  const ctx: ExportContext = { request: { source: { format: 'test' }, options }, options, logger: silentLogger, notes: [], data: new Map(), sourceGraph: source };
  const result: ExportResult = { context: ctx, graph: source, dir: '/v', artifacts: [record], validation: {} };
  const error = await hooks.afterExport.promise(result).then(() => undefined, (e: Error) => e);
  return { ...(error ? { error } : {}), result, served };
}

describe('validation of an artifact that packages others (details.variants)', function () {
  this.timeout(60_000);

  it('runs each variant in the runtime of its format, reported as <target>/<variant>', async () => {
    const { error, result, served } = await validate(packageRecord(['alpha', 'beta']), { alpha: WEIGHTS, beta: WEIGHTS });
    expect(error).to.equal(undefined);
    expect(served).to.deep.equal(['alpha /v/pkg/alpha/model', 'beta /v/pkg/beta/model']);
    expect(Object.keys(result.validation)).to.deep.equal(['pkg/alpha', 'pkg/beta', 'pkg']);
    expect(result.validation['pkg/beta']!.ok).to.equal(true);
    // The package's own line sums its variants up, for summaries that show one line per artifact.
    const pkg = result.validation.pkg!;
    expect(pkg.ok).to.equal(true);
    expect(pkg.runtime).to.equal('alpha+beta');
    expect(pkg.outputs.map((o) => o.output)).to.deep.equal(['alpha/scores', 'beta/scores']);
  });

  it('fails the export when one variant differs from the source, naming it', async () => {
    const { error } = await validate(packageRecord(['alpha', 'beta']), { alpha: WEIGHTS, beta: WEIGHTS.map((w) => w * 1.5) });
    expect(error).to.be.instanceOf(ValidationError);
    expect(error!.message).to.contain('pkg/beta output "scores"');
    expect(error!.message).not.to.contain('pkg/alpha');
  });

  it('notes a variant whose format no runtime serves, and a record without variants stays one artifact', async () => {
    const { error, result } = await validate(packageRecord(['alpha', 'gamma']), { alpha: WEIGHTS });
    expect(error).to.equal(undefined);
    expect(result.context.notes).to.include('pkg/gamma: not validated: no runtime plugin serves "gamma"');
    const plain = await validate({ ...packageRecord([]), details: { variants: [] } }, {});
    expect(plain.result.context.notes).to.include('pkg: not validated: no runtime plugin serves "pkg"');
  });
});
