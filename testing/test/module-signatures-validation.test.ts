import { expect } from 'chai';
import { exportModulePlugin } from '@modelport/core';
import { COLOUR_MODULES, colourClassifier } from '@modelport/core/testing';
import { IMAGE_SIZE } from '@modelport/validation';
import { runPipeline } from '../src/index.js';

// Validation of module signatures through the real pipeline: the tfjs artifact's every signature
// against the source composed the same way, and the report of an export without them unchanged.

// A colour classifier (mean RGB → dense → softmax) with two module signatures around it: "pixels"
// takes a uint8 image of any size and averages it; "top" answers the best class as int32.

const SIGNATURES = { serving_default: ['pixels', 'top'], features: ['pixels'] };

describe('validation of module signatures through the export pipeline', function () {
  this.timeout(120_000);

  it('checks every signature of the tfjs artifact in the tfjs runtime against the composed source', async () => {
    const plugins = COLOUR_MODULES.map((m) => exportModulePlugin(m.value, { name: `@acme/${m.value.name}`, version: '0.1.0' }));
    const run = await runPipeline({ graph: colourClassifier(), plugins, targets: ['tfjs'], options: { signatures: SIGNATURES } });
    const report = run.artifact('tfjs').validation!;
    expect(report.ok).to.equal(true);
    expect(report.signatures!.serving_default).to.deep.equal({ stages: ['pixels', 'model', 'top'], inputs: { image: [1, IMAGE_SIZE.height, IMAGE_SIZE.width, 3] }, ok: true });
    expect(report.outputs.find((o) => o.output === 'serving_default/class')).to.deep.include({ ok: true, maxAbsDiff: 0 });
    expect(Object.keys(report.signatures!)).to.have.members(['serving_default', 'features', 'source']);
    const manifest = JSON.parse(await run.read('export.json'));
    expect(manifest.validation.tfjs.signatures.features).to.deep.include({ stages: ['pixels', 'model'], ok: true });
  });

  it('keeps the single-signature report as it was when no module signatures are asked', async () => {
    const run = await runPipeline({ graph: colourClassifier(), targets: ['tfjs'] });
    const report = run.artifact('tfjs').validation!;
    expect(report.ok).to.equal(true);
    expect(report.signatures).to.equal(undefined);
    expect(report.outputs.map((o) => o.output)).to.deep.equal(['scores']);
  });
});
