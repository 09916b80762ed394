import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import type * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { startServer, type ModelServer } from '../src/index.js';
import { call } from './support/http.js';
import { configuredContainer, exportModel, maxDiff, referencePredict, tempRepository, twoHeadModel, type Container } from './support/models.js';

/**
 * One repository version holding tfjs, onnx and tflite artifacts; the model config picks the
 * runtime per model (`formats`), which reaches its plugin through the `serve` hook. A runtime
 * whose plugins cannot be applied here is skipped, not failed: it is another package's work.
 */
describe('runtimes by artifact format through the serve hook', function () {
  this.timeout(120_000);
  let repo: string;
  let server: ModelServer | undefined;
  let model: tf.LayersModel;
  const formats: string[] = [];

  before(async () => {
    await initBackend(); // before tfjs is used, so it does not pick a backend itself
    repo = await tempRepository('runtimes');
    model = twoHeadModel();
    for (const format of ['onnx', 'tflite']) {
      let container: Container;
      try {
        container = await configuredContainer([`@modelport/exporter-${format}`, `@modelport/runtime-${format}`]);
        await exportModel(container, model, repo, `two-head-${format}`, { targets: ['tfjs', format] });
        formats.push(format);
      } catch { /* that runtime is not usable here */ }
    }
    const container = await configuredContainer(formats.flatMap((f) => [`@modelport/exporter-${f}`, `@modelport/runtime-${f}`]));
    server = await startServer({
      repository: repo, port: 0, container, pollSeconds: 0,
      config: { models: Object.fromEntries(formats.map((f) => [`two-head-${f}`, { formats: [f] }])) },
    });
  });
  after(async () => {
    await server?.close();
    await fs.rm(repo, { recursive: true, force: true });
  });

  for (const format of ['onnx', 'tflite']) {
    it(`serves the ${format} artifact when the config asks for it, with the same answers as tfjs`, async function () {
      if (!formats.includes(format)) this.skip();
      const meta = await call(`${server!.url}/v2/models/two-head-${format}`);
      expect(meta.status, JSON.stringify(meta.body)).to.equal(200);
      expect(meta.body.platform).to.equal(format);
      const a = [[1, 2, 3, 4]];
      const b = [[0.5, -0.5]];
      const r = await call(`${server!.url}/v1/models/two-head-${format}:predict`, { inputs: { a, b } });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      const want = await referencePredict(model, { a, b });
      expect(maxDiff(r.body.outputs.sum, want.sum)).to.be.below(1e-4);
      expect(maxDiff(r.body.outputs.scaled, want.scaled)).to.be.below(1e-4);
    });
  }
});
