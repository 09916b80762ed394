import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ARTIFACT_DESCRIBERS, contributionsTo, createContainer, coreServices, randomTensor, seededRandom } from '@modelport/core';
import { expectArtifactMatchesSource, expectSignaturesMatchGraph, runPipeline, serveArtifact } from '@modelport/testing';
import importerSavedModel from '../src/index.js';

/** The SavedModels TensorFlow wrote, kept with the savedmodel library's tests. */
const fixture = (name: string) => fileURLToPath(new URL(`../../../savedmodel/test/fixtures/${name}/saved_model`, import.meta.url));

describe('importer-savedmodel', function () {
  this.timeout(60_000);

  it('loads a SavedModel source and exports it to tfjs, validated against the source', async () => {
    const run = await runPipeline({ source: { format: 'savedmodel', path: fixture('tf1-frozen-cnn') }, plugins: [importerSavedModel], targets: ['tfjs'], name: 'cnn' });
    expectArtifactMatchesSource(run, 'tfjs');
    const validation = run.artifact('tfjs').validation!;
    expect(validation.ok).to.equal(true);
    console.log(`      tfjs artifact vs the SavedModel read: worst relative diff ${validation.worstRelativeDiff.toExponential(2)}`);
    expect(run.graph.signatures.serving_default!.inputs.image!.shape).to.deep.equal([-1, 32, 32, 3]);
    expect(run.graph.metadata.source).to.include({ format: 'savedmodel' });
  });

  it('loads a TF2 SavedModel with two signatures and exports both, each validated', async () => {
    const run = await runPipeline({ source: { format: 'savedmodel', path: fixture('tf2-module-two-signatures') }, plugins: [importerSavedModel], targets: ['tfjs'], name: 'module' });
    expectArtifactMatchesSource(run, 'tfjs');
    expect(Object.keys(run.graph.signatures).sort()).to.deep.equal(['embed', 'serving_default']);
    expect(run.artifact('tfjs').validation!.ok).to.equal(true);
    // Validation runs serving_default; the second signature is run here, in the artifact and in the graph read.
    const predictor = await serveArtifact({ format: 'tfjs', path: run.file('tfjs') });
    try {
      const x = randomTensor('float32', [3, 6], seededRandom(5));
      await expectSignaturesMatchGraph(predictor, run.graph, [{ signature: 'embed', inputs: { x } }, { signature: 'serving_default', inputs: { x } }]);
    } finally {
      await predictor.dispose();
    }
  });

  it('contributes the SavedModel describer for inspect', async () => {
    const container = createContainer();
    await coreServices(container).host.apply(importerSavedModel, {});
    const describer = contributionsTo(container, ARTIFACT_DESCRIBERS).map((c) => c.value).find((d) => d.format === 'savedmodel')!;
    expect(await describer.matches(fixture('tf1-frozen-cnn'))).to.equal(true);
    expect(await describer.matches(`${fixture('tf1-frozen-cnn')}/saved_model.pb`)).to.equal(true);
    expect(await describer.matches(fixture('tf1-frozen-cnn').replace(/saved_model$/, ''))).to.equal(false);
    const d = await describer.describe(fixture('tf1-frozen-cnn'));
    expect(d.format).to.equal('savedmodel');
    expect(d.signatures.serving_default!.inputs).to.deep.equal([{ name: 'image', tensor: 'image:0', dtype: 'float32', shape: [-1, 32, 32, 3], dynamic: true }]);
    expect(d.signatures.serving_default!.outputs.map((o) => o.name)).to.deep.equal(['logits', 'probs']);
    expect(d.ops).to.include({ Conv2D: 1, FusedBatchNormV3: 1, Softmax: 1 });
    const details = Object.fromEntries(d.details.map((x) => [x.label, x.value]));
    expect(details).to.include({ tags: '[serve]', 'method of serving_default': 'tensorflow/serving/predict', weights: 'frozen (Const nodes)' });
    expect(String(details['written by TensorFlow'])).to.match(/^2\.\d+/);
    expect(d.size).to.be.greaterThan(10_000);
  });

  it('describes a SavedModel it cannot load (TF2 While/If): signature, ops of the function library', async () => {
    const { describeSavedModel } = await import('@modelport/savedmodel');
    const d = await describeSavedModel(fixture('tf2-control-flow'));
    expect(Object.keys(d.signatures)).to.deep.equal(['serving_default']);
    expect(d.signatures.serving_default!.inputs.map((t) => [t.name, t.dtype, t.shape])).to.deep.equal([['steps', 'int32', []], ['x', 'float32', [-1, 4]]]);
    expect(d.ops).to.include.keys('StatelessWhile', 'StatelessIf', 'PartitionedCall');
    expect(d.details.find((x) => x.label === 'function library')?.value).to.match(/^\d+ function\(s\)/);
  });
});
