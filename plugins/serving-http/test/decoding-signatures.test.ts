import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import {
  composeSignatures, contribute, coreServices, EXPORT_MODULES, GraphExecutor, type Logger,
} from '@modelport/core';
import { bestColourModule, COLOUR_MODULES, colourClassifier, meanColourModule } from '@modelport/core/testing';
import { startServer } from '../src/index.js';
import { call } from './support/http.js';
import { configuredContainer, maxDiff, tempRepository } from './support/models.js';

// A model exported with its decoding built in (an output module after "model"): the server must
// serve its signatures as they are, even when the config names an adapter for it.

const SIGNATURES = { serving_default: ['pixels', 'top'] };

describe('serving a model whose signatures decode their outputs', function () {
  this.timeout(120_000);

  it('serves its signatures as exported, not through the adapter the config names, and logs why', async () => {
    const container = await configuredContainer(['@modelport/adapter-image-classification']);
    contribute(container, EXPORT_MODULES, meanColourModule, 'colour-modules');
    contribute(container, EXPORT_MODULES, bestColourModule, 'colour-modules');
    const repo = await tempRepository('decoding');
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m) => { warnings.push(m); } };
    await coreServices(container).pipeline.run({
      source: { format: 'graph', graph: colourClassifier(), name: 'colours' },
      options: { targets: ['tfjs'], out: repo, validate: false, signatures: SIGNATURES },
    });
    const server = await startServer({
      repository: repo, port: 0, container, logger, pollSeconds: 0,
      config: { models: { colours: { adapter: { name: 'image-classification', options: { topK: 2 } } } } },
    });
    try {
      expect(warnings.filter((w) => w.includes('not applied'))).to.deep.equal([
        'colours version 1: served as exported, adapter "image-classification" not applied: its signatures decode their outputs themselves (serving_default: pixels → model → top)',
      ]);
      const meta = await call(`${server.url}/v2/models/colours`);
      expect(meta.body.inputs).to.deep.equal([{ name: 'image', datatype: 'UINT8', shape: [-1, -1, -1, 3] }]);
      const image = [[[200, 30, 90], [10, 250, 40]], [[0, 0, 255], [90, 90, 90]]];
      const r = await call(`${server.url}/v1/models/colours:predict`, { inputs: { image: [image] } });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      // The reference: the same signatures composed on the source graph, run in tfjs.
      const reference = composeSignatures(colourClassifier(), { signatures: SIGNATURES }, COLOUR_MODULES);
      const exec = await GraphExecutor.create(reference);
      try {
        const want = await exec.runSignature(reference.signatures.serving_default!, { image: { dtype: 'uint8', shape: [1, 2, 2, 3], data: Uint8Array.from(image.flat(2)) } });
        expect(r.body.outputs.class).to.deep.equal(Array.from(want.class!.data as Int32Array));
        expect(maxDiff(r.body.outputs.scores, Array.from(want.scores!.data as Float32Array))).to.be.below(1e-5);
      } finally {
        exec.dispose();
      }
    } finally {
      await server.close();
      await fs.rm(repo, { recursive: true, force: true });
    }
  });
});
