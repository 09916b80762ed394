import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import type * as tf from '@tensorflow/tfjs';
import { coreServices, initBackend } from '@modelport/core';
import { startServer, type ModelServer } from '../src/index.js';
import { call } from './support/http.js';
import { configuredContainer, maxDiff, referencePredict, tempRepository, twoHeadModel } from './support/models.js';

/**
 * A version whose only artifact is a package of other formats (the tfhub target: tfjs and tflite
 * inside): the server opens one of its variants, the configured format or else the first one.
 */
describe('serving a package artifact (tfhub) through its variants', function () {
  this.timeout(120_000);
  let repo: string;
  let server: ModelServer | undefined;
  let model: tf.LayersModel;

  before(async () => {
    await initBackend();
    repo = await tempRepository('packages');
    model = twoHeadModel();
    const container = await configuredContainer(['@modelport/exporter-tflite', '@modelport/runtime-tflite', '@modelport/exporter-tfhub']);
    for (const name of ['pkg-tflite', 'pkg-first']) {
      await coreServices(container).pipeline.run({
        source: { format: 'tfjs-layers-model', model, name },
        options: { targets: ['tfhub'], out: repo, validate: false, targetOptions: { tfhub: { variants: ['tfjs'], tflite: true } } },
      });
    }
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, config: { models: { 'pkg-tflite': { formats: ['tflite'] } } } });
  });
  after(async () => {
    await server?.close();
    await fs.rm(repo, { recursive: true, force: true });
  });

  for (const [name, platform] of [['pkg-tflite', 'tflite'], ['pkg-first', 'tfjs']] as const) {
    it(`serves ${name} from its ${platform} variant, with the model's answers`, async () => {
      const meta = await call(`${server!.url}/v2/models/${name}`);
      expect(meta.status, JSON.stringify(meta.body)).to.equal(200);
      expect(meta.body.platform).to.equal(platform);
      const a = [[1, 2, 3, 4]];
      const b = [[0.5, -0.5]];
      const r = await call(`${server!.url}/v1/models/${name}:predict`, { inputs: { a, b } });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      const want = await referencePredict(model, { a, b });
      expect(maxDiff(r.body.outputs.sum, want.sum)).to.be.below(1e-4);
      expect(maxDiff(r.body.outputs.scaled, want.scaled)).to.be.below(1e-4);
    });
  }
});
