import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { openCheckpointManager, trainerExport } from '@modelport/trainer-export';
import { runCli } from '../support/cli.js';
import { scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';
import { startServeProcess } from '../support/serve-process.js';

interface VersionStatus { version: string; state: string }

describe('CLI: modelport serve', function () {
  this.timeout(120_000);
  let repo: string;
  beforeEach(async () => { repo = await scratchDir('serve'); });
  afterEach(() => fs.rm(repo, { recursive: true, force: true }));

  it('serves an exported repository over TF Serving REST and KServe v2, and stops on SIGTERM', async () => {
    const exported = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs,onnx', '--out', repo, '--json']);
    expect(exported.code, exported.stderr).to.equal(0);
    const server = await startServeProcess([repo, '--poll-seconds', '0.2']);
    try {
      expect(server.line).to.equal(`serving ${repo} at ${server.url} (TF Serving REST /v1, KServe v2 /v2, metrics /metrics)`);
      const status = await (await fetch(`${server.url}/v1/models/tiny-cnn`)).json() as { model_version_status: VersionStatus[] };
      expect(status.model_version_status).to.deep.equal([{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }]);
      const image = Array.from({ length: 32 }, () => Array.from({ length: 32 }, () => [0.2, 0.5, 0.8]));
      const predict = await (await fetch(`${server.url}/v1/models/tiny-cnn:predict`, { method: 'POST', body: JSON.stringify({ instances: [image] }) })).json() as { predictions: number[][] };
      expect(predict.predictions[0]!.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5); // softmax
      const infer = await fetch(`${server.url}/v2/models/tiny-cnn/infer`, {
        method: 'POST', body: JSON.stringify({ inputs: [{ name: 'image', shape: [1, 32, 32, 3], datatype: 'FP32', data: image.flat(2) }] }),
      });
      expect(infer.status).to.equal(200);
      const v2 = await infer.json() as { outputs: { name: string; shape: number[]; data: number[] }[] };
      expect(v2.outputs[0]!.shape).to.deep.equal([1, 10]);
      v2.outputs[0]!.data.forEach((x, i) => expect(x).to.be.closeTo(predict.predictions[0]![i]!, 1e-6));
    } finally {
      expect(await server.stop()).to.equal(0);
    }
  });

  it('serves a protocol an installed plugin contributes next to REST and KServe, and says so', async () => {
    await writeTree(repo, {
      'project/node_modules/@acme/modelport-models-protocol/package.json': {
        name: '@acme/modelport-models-protocol', version: '1.0.0', type: 'module', main: 'index.js',
        modelport: { type: 'serving', core: '^0.1.0' },
      },
      // GET /acme/models lists the models the server has loaded, from the context every protocol gets.
      'project/node_modules/@acme/modelport-models-protocol/index.js': `
import { contribute } from '@modelport/core';
import { SERVING_PROTOCOLS } from '@modelport/serving-http';
export default {
  name: '@acme/modelport-models-protocol', version: '1.0.0',
  apply(_hooks, _options, container) {
    contribute(container, SERVING_PROTOCOLS, {
      name: 'acme-models', description: 'model list /acme/models',
      register(app, ctx) { app.get('/acme/models', async () => ({ models: ctx.manager.modelNames() })); },
    });
  },
};
`,
      'project/modelport.config.json': { presets: ['serving'], plugins: ['@acme/modelport-models-protocol'] },
    });
    const project = path.join(repo, 'project');
    const models = path.join(repo, 'models');
    const exported = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs', '--out', models, '--json']);
    expect(exported.code, exported.stderr).to.equal(0);
    const server = await startServeProcess([models, '--poll-seconds', '0'], project);
    try {
      expect(server.line).to.equal(`serving ${models} at ${server.url} (TF Serving REST /v1, KServe v2 /v2, metrics /metrics, model list /acme/models)`);
      expect(await (await fetch(`${server.url}/acme/models`)).json()).to.deep.equal({ models: ['tiny-cnn'] });
      expect((await fetch(`${server.url}/v2/models/tiny-cnn/ready`)).status).to.equal(200);
    } finally {
      expect(await server.stop()).to.equal(0);
    }
  });

  it('serves a .tflite artifact from the TFLite runtime: batch 1 as pinned at export, a batch of 2 is a 400 naming the input', async () => {
    const exported = await runCli(['export', EXAMPLE_MODEL, '--to', 'tflite', '--out', repo, '--json']);
    expect(exported.code, exported.stderr).to.equal(0);
    const server = await startServeProcess([repo, '--poll-seconds', '0.2']);
    try {
      const image = Array.from({ length: 32 }, () => Array.from({ length: 32 }, () => [0.2, 0.5, 0.8]));
      const predict = await (await fetch(`${server.url}/v1/models/tiny-cnn:predict`, { method: 'POST', body: JSON.stringify({ instances: [image] }) })).json() as { predictions: number[][] };
      expect(predict.predictions[0]).to.have.length(10);
      expect(predict.predictions[0]!.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5); // softmax
      const two = await fetch(`${server.url}/v1/models/tiny-cnn:predict`, { method: 'POST', body: JSON.stringify({ instances: [image, image] }) });
      expect(two.status).to.equal(400);
      expect(((await two.json()) as { error: string }).error).to.match(/image/);
    } finally {
      expect(await server.stop()).to.equal(0);
    }
  });

  it('keeps answering while training writes new checkpoint versions, and moves to each new one', async () => {
    await initBackend();
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }), tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] });
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const manager = await openCheckpointManager({ directory: repo, model: 'regressor', targets: ['tfjs'], maxToKeep: 2, export: { validate: false } });
    const xs = tf.randomUniform([32, 4], 0, 1, 'float32', 3);
    await model.fit(xs, xs.sum(1, true), { epochs: 1, verbose: 0, callbacks: [trainerExport(manager, { everyEpochs: 1, atEnd: false })] });

    const server = await startServeProcess([repo, '--poll-seconds', '0.1']);
    const versionsSeen = new Set<string>();
    let requests = 0, failures = 0, stop = false;
    const client = (async () => {
      while (!stop) {
        const r = await fetch(`${server.url}/v1/models/regressor:predict`, { method: 'POST', body: JSON.stringify({ instances: [[0.1, 0.2, 0.3, 0.4]] }) });
        requests++;
        if (r.status !== 200) failures++;
        const s = await (await fetch(`${server.url}/v1/models/regressor`)).json() as { model_version_status: VersionStatus[] };
        for (const v of s.model_version_status) if (v.state === 'AVAILABLE') versionsSeen.add(v.version);
      }
    })();
    try {
      await model.fit(xs, xs.sum(1, true), { epochs: 5, initialEpoch: 1, verbose: 0, callbacks: [trainerExport(manager, { everyEpochs: 1, atEnd: false })] });
      const last = String((await manager.latest())!.version);
      for (let i = 0; i < 100 && !versionsSeen.has(last); i++) await new Promise((r) => setTimeout(r, 100));
      stop = true;
      await client;
      expect(failures, `${failures} of ${requests} requests failed`).to.equal(0);
      expect(requests).to.be.greaterThan(10);
      expect(versionsSeen.has(last), `saw ${[...versionsSeen]}, latest ${last}`).to.equal(true);
      expect(versionsSeen.size).to.be.greaterThan(1);
    } finally {
      stop = true;
      await client.catch(() => undefined);
      await server.stop();
    }
  });
});
