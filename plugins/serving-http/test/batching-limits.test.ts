import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import type * as tf from '@tensorflow/tfjs';
import { startServer, type ModelServer } from '../src/index.js';
import { applyFakeRuntimes, calls, writeFakeVersion } from './support/fake-runtimes.js';
import { call, metricValue, parseMetrics } from './support/http.js';
import { configuredContainer, denseModel, exportModel, maxDiff, referencePredict, tempRepository, type Container } from './support/models.js';

describe('dynamic batching, deadlines, binary values and metrics', function () {
  this.timeout(60_000);
  let container: Container;
  let repo: string;
  let server: ModelServer;
  let dense: tf.LayersModel;

  before(async () => {
    container = await configuredContainer();
    await applyFakeRuntimes(container);
    repo = await tempRepository('batching');
    dense = denseModel(4);
    await exportModel(container, dense, repo, 'batched');
    await exportModel(container, dense, repo, 'unbatched');
    await writeFakeVersion(repo, 'echo', 1, 'echo');
    await writeFakeVersion(repo, 'slow', 1, 'slow');
    await writeFakeVersion(repo, 'slow-batched', 1, 'slow');
    server = await startServer({
      repository: repo, port: 0, container, pollSeconds: 0,
      limits: { requestTimeoutMs: 400 },
      config: {
        models: {
          batched: { batching: { enabled: true, maxBatchSize: 8, maxQueueDelayMs: 50 } },
          slow: { runtimeOptions: { delayMs: 1000 } },
          'slow-batched': { runtimeOptions: { delayMs: 100 }, batching: { enabled: true, maxBatchSize: 4, maxQueueDelayMs: 30 } },
        },
      },
    });
  });
  after(async () => {
    await server?.close();
    await fs.rm(repo, { recursive: true, force: true });
  });

  const rowsOf = (i: number) => Array.from({ length: 1 + (i % 2) }, (_, r) => [i / 10, r, -i / 7, 0.5]);

  it('batches concurrent requests into fewer runtime calls, each client getting its own rows', async () => {
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => call(`${server.url}/v1/models/batched:predict`, { instances: rowsOf(i) })));
    for (let i = 0; i < 6; i++) {
      expect(replies[i]!.status, JSON.stringify(replies[i]!.body)).to.equal(200);
      expect(replies[i]!.body.predictions).to.have.length(rowsOf(i).length);
      expect(maxDiff(replies[i]!.body.predictions, (await referencePredict(dense, { x: rowsOf(i) })).probs)).to.be.below(1e-5);
    }
    const metrics = parseMetrics((await call(`${server.url}/metrics`)).body);
    const batches = metricValue(metrics, 'modelport_serving_batch_size_count', { model: 'batched' });
    const rows = metricValue(metrics, 'modelport_serving_batch_size_sum', { model: 'batched' });
    expect(rows).to.equal(9); // 6 requests of 1 or 2 rows
    expect(batches).to.be.at.least(1).and.below(6);
    expect(metricValue(metrics, 'modelport_serving_batch_size_count', { model: 'unbatched' })).to.equal(0);
  });

  it('caps a batch at maxBatchSize rows, seen from the runtime', async () => {
    calls.length = 0;
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => call(`${server.url}/v2/models/slow-batched/infer`, {
      inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [i + 1, -i] }],
    })));
    replies.forEach((r, i) => {
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body.outputs[0].data).to.deep.equal([2 * (i + 1), -2 * i || 0]);
    });
    const runs = calls.filter((c) => c.format === 'slow');
    expect(runs.reduce((n, c) => n + c.rows, 0)).to.equal(10);
    expect(Math.max(...runs.map((c) => c.rows))).to.equal(4);
    expect(runs.length).to.be.below(10);
  });

  it('answers 504 past the per-request deadline and keeps serving', async () => {
    const started = Date.now();
    const r = await call(`${server.url}/v1/models/slow:predict`, { instances: [[1, 2]] });
    expect(r.status).to.equal(504);
    expect(r.body.error).to.match(/longer than 400 ms/);
    expect(Date.now() - started).to.be.below(950);
    expect((await call(`${server.url}/v1/models/batched:predict`, { instances: [[1, 2, 3, 4]] })).status).to.equal(200);
  });

  it('decodes {"b64": …} values into bytes and encodes *_bytes outputs back as b64', async () => {
    const payload = Buffer.from([0, 255, 1, 128, 10]);
    const rows = await call(`${server.url}/v1/models/echo:predict`, { instances: [{ b64: payload.toString('base64') }, 'text'] });
    expect(rows.status, JSON.stringify(rows.body)).to.equal(200);
    expect(rows.body.predictions).to.deep.equal([
      { echo_bytes: { b64: payload.toString('base64') }, length: 5 },
      { echo_bytes: { b64: Buffer.from('text').toString('base64') }, length: 4 },
    ]);
    const columns = await call(`${server.url}/v1/models/echo:predict`, { inputs: { payload_bytes: [{ b64: 'aGk=' }] } });
    expect(columns.body.outputs).to.deep.equal({ echo_bytes: [{ b64: 'aGk=' }], length: [2] });
    const v2 = await call(`${server.url}/v2/models/echo/infer`, { inputs: [{ name: 'payload_bytes', shape: [1], datatype: 'BYTES', data: [payload.toString('base64')], parameters: { content_type: 'base64' } }] });
    expect(v2.status, JSON.stringify(v2.body)).to.equal(200);
    expect(v2.body.outputs[0]).to.deep.equal({ name: 'echo_bytes', datatype: 'BYTES', shape: [1], data: [payload.toString('base64')], parameters: { content_type: 'base64' } });
    const bad = await call(`${server.url}/v1/models/echo:predict`, { instances: [{ b64: 'not base64!' }] });
    expect(bad.status).to.equal(400);
  });

  it('counts requests by model, version, API and status, and times them, for known models only', async () => {
    await call(`${server.url}/v1/models/made-up-name-${Date.now()}`);
    const text = (await call(`${server.url}/monitoring/prometheus/metrics`)).body as string;
    const metrics = parseMetrics(text);
    expect(metricValue(metrics, 'modelport_serving_requests_total', { model: 'batched', version: '1', api: 'v1/predict', status: '200' })).to.be.at.least(7);
    expect(metricValue(metrics, 'modelport_serving_requests_total', { model: 'slow', api: 'v1/predict', status: '504' })).to.equal(1);
    expect(metricValue(metrics, 'modelport_serving_request_duration_seconds_count', { model: 'batched', api: 'v1/predict' })).to.be.at.least(7);
    expect(metricValue(metrics, 'modelport_serving_version_loads_total')).to.equal(5);
    expect(metricValue(metrics, 'modelport_serving_available_versions', { model: 'echo' })).to.equal(1);
    expect(text).to.not.match(/made-up-name/);
  });
});
