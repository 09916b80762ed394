import { expect } from 'chai';
import { composeSignatures, exportModulePlugin } from '@modelport/core';
import { COLOUR_MODULES, COLOUR_WEIGHTS, colourClassifier } from '@modelport/core/testing';
import { expectSignaturesMatchGraph, photoCases, runPipeline, serveArtifact } from '@modelport/testing';

describe('expectSignaturesMatchGraph', function () {
  this.timeout(120_000);
  const signatures = { serving_default: ['pixels', 'top'], features: ['pixels'] };
  const plugins = COLOUR_MODULES.map((m) => exportModulePlugin(m.value, { name: `@acme/${m.value.name}`, version: '0.1.0' }));

  it('passes an artifact against the graph it was exported from, comparing every output of every case', async () => {
    const run = await runPipeline({ graph: colourClassifier(), plugins, targets: ['tfjs'], validate: false, options: { signatures } });
    const predictor = await serveArtifact({ format: 'tfjs', path: run.file('tfjs') });
    try {
      const comparisons = await expectSignaturesMatchGraph(predictor, run.graph, photoCases(['serving_default', 'features'], [[20, 30], [7, 5]]));
      expect(comparisons.map((c) => c.output)).to.deep.equal([
        'serving_default/class at 20x30', 'serving_default/scores at 20x30', 'features/scores at 20x30',
        'serving_default/class at 7x5', 'serving_default/scores at 7x5', 'features/scores at 7x5',
      ]);
    } finally {
      await predictor.dispose();
    }
  });

  it('fails naming the signature, output and case that differ from another model', async () => {
    const run = await runPipeline({ graph: colourClassifier(), plugins, targets: ['tfjs'], validate: false, options: { signatures } });
    const other = composeSignatures(colourClassifier(COLOUR_WEIGHTS.map((w) => -w)), { signatures }, COLOUR_MODULES);
    const predictor = await serveArtifact({ format: 'tfjs', path: run.file('tfjs') });
    try {
      const error = await expectSignaturesMatchGraph(predictor, other, photoCases(['features'], [[20, 30]])).then(() => undefined, (e: Error) => e);
      expect(error?.message).to.match(/^the tfjs artifact differs from its graph: features\/scores at 20x30: /);
    } finally {
      await predictor.dispose();
    }
  });
});
