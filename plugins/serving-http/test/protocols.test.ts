import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import type * as tf from '@tensorflow/tfjs';
import { contribute, coreServices, definePlugin, type Plugin } from '@modelport/core';
import servingHttp, {
  checkModelName, labelRequest, runInference, SERVING_PROTOCOLS, startServer, type ModelServer, type ServingProtocol,
} from '../src/index.js';
import { call, metricValue, parseMetrics } from './support/http.js';
import { askLine, LINE_PROTOCOL, rowsTensor } from './support/line-protocol.js';
import { configuredContainer, denseModel, exportModel, maxDiff, referencePredict, tempRepository, type Container } from './support/models.js';

const PLUGIN = 'test-protocols';

function freePort(): Promise<number> {
  const probe = net.createServer();
  return new Promise((resolve) => probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as net.AddressInfo;
    probe.close(() => resolve(port));
  }));
}

/** Routes on the server's HTTP app: POST /echo-predict/{model} with {"x": rows} answers {"version", "probs"}. */
const ECHO_PREDICT: ServingProtocol = {
  name: 'echo-predict',
  description: 'echo-predict /echo-predict',
  register(app, ctx) {
    app.post('/echo-predict/:name', async (request) => {
      const model = checkModelName((request.params as { name: string }).name);
      labelRequest(ctx, request, model, 'echo/predict');
      const result = await runInference(ctx, { model, inputs: { x: rowsTensor((request.body as { x: number[][] }).x) } });
      request.serving!.version = String(result.version);
      return { version: result.version, probs: Array.from(result.outputs.probs!.data as Float32Array) };
    });
  },
};

/** A plugin of the test, applied like any other, contributing `protocols`. */
function protocolPlugin(name: string, protocols: readonly ServingProtocol[]): Plugin {
  return definePlugin({
    name, version: '0.0.0',
    apply(_hooks, _options, container) {
      for (const p of protocols) contribute(container, SERVING_PROTOCOLS, p);
    },
  });
}

describe('protocols contributed by plugins', function () {
  this.timeout(60_000);
  let container: Container;
  let repo: string;
  let dense: tf.LayersModel;

  before(async () => {
    container = await configuredContainer();
    repo = await tempRepository('protocols');
    dense = denseModel(5);
    await exportModel(container, dense, repo, 'dense');
  });
  after(() => fs.rm(repo, { recursive: true, force: true }));

  describe('served next to TF Serving REST and KServe v2', () => {
    let server: ModelServer;
    before(async () => {
      const session = await configuredContainer();
      await coreServices(session).host.apply(protocolPlugin(PLUGIN, [ECHO_PREDICT, LINE_PROTOCOL]));
      server = await startServer({ repository: repo, port: 0, container: session, pollSeconds: 0 });
    });
    after(() => server?.close());

    it('reports every protocol it speaks, with its plugin and where it is reached', () => {
      const line = server.protocols.find((p) => p.name === 'json-lines')!;
      expect(server.protocols.map((p) => [p.name, p.plugin])).to.deep.equal([
        ['tf-serving-rest', '@modelport/serving-http'], ['kserve-v2', '@modelport/serving-http'], ['prometheus-metrics', '@modelport/serving-http'],
        ['echo-predict', PLUGIN], ['json-lines', PLUGIN],
      ]);
      expect(server.protocols.filter((p) => p !== line).every((p) => p.address === server.url)).to.equal(true);
      expect(line.address).to.match(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    });

    it('answers the same model over all four, equal to tfjs', async () => {
      const x = [[0.5, 0.1, -0.2, 0.9], [0, 0, 0, 1]];
      const want = (await referencePredict(dense, { x })).probs!;
      const rest = await call(`${server.url}/v1/models/dense:predict`, { instances: x });
      const kserve = await call(`${server.url}/v2/models/dense/infer`, { inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', data: x.flat() }] });
      const echo = await call(`${server.url}/echo-predict/dense`, { x });
      const line = await askLine(server.protocols.find((p) => p.name === 'json-lines')!.address, { model: 'dense', x });
      expect([rest.status, kserve.status, echo.status], JSON.stringify(echo.body)).to.deep.equal([200, 200, 200]);
      expect(maxDiff(rest.body.predictions, want)).to.be.below(1e-5);
      expect(maxDiff(kserve.body.outputs[0].data, want.flat())).to.be.below(1e-5);
      expect(echo.body.version).to.equal(1);
      expect(maxDiff(echo.body.probs, want.flat())).to.be.below(1e-5);
      expect(line).to.include({ version: 1 });
      expect(line.shape).to.deep.equal([2, 3]);
      expect(maxDiff(line.probs, want.flat())).to.be.below(1e-5);
    });

    it('gives contributed protocols the server\'s errors, versions and metrics', async () => {
      const line = server.protocols.find((p) => p.name === 'json-lines')!.address;
      expect(await askLine(line, { model: 'nope', x: [[0, 0, 0, 0]] })).to.include({ code: 'NOT_FOUND' });
      const wrongShape = await askLine(line, { model: 'dense', x: [[0, 0, 0]] });
      expect(wrongShape.code).to.equal('INVALID_ARGUMENT');
      expect(wrongShape.error).to.match(/input "x" has shape \[1, 3\]/);
      expect(await askLine(line, { model: 'dense', version: 7, x: [[0, 0, 0, 0]] })).to.include({ code: 'NOT_FOUND' });
      const traversal = await call(`${server.url}/echo-predict/..%2Fetc`, { x: [[0, 0, 0, 0]] });
      expect(traversal.status).to.equal(400);
      expect(traversal.body.error).to.match(/invalid model name/);
      const metrics = parseMetrics((await call(`${server.url}/metrics`)).body as string);
      expect(metricValue(metrics, 'modelport_serving_requests_total', { model: 'dense', api: 'echo/predict', version: '1', status: '200' })).to.be.at.least(1);
    });

    it('stops the listener of a protocol when the server closes', async () => {
      const other = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, protocols: [LINE_PROTOCOL] });
      const address = other.protocols.find((p) => p.name === 'json-lines')!.address;
      expect(await askLine(address, { model: 'dense', x: [[1, 2, 3, 4]] })).to.include({ version: 1 });
      expect(other.protocols.find((p) => p.name === 'json-lines')!.plugin).to.equal('startServer({ protocols })');
      await other.close();
      let refused: unknown;
      await askLine(address, { model: 'dense', x: [[1, 2, 3, 4]] }).catch((e) => { refused = e; });
      expect((refused as NodeJS.ErrnoException | undefined)?.code).to.equal('ECONNREFUSED');
    });
  });

  it('batches a contributed protocol\'s requests together with REST requests', async () => {
    const server = await startServer({
      repository: repo, port: 0, container, pollSeconds: 0, protocols: [LINE_PROTOCOL],
      config: { models: { dense: { batching: { enabled: true, maxBatchSize: 2, maxQueueDelayMs: 5000 } } } },
    });
    try {
      const x = [[0.1, 0.2, 0.3, 0.4]];
      const line = server.protocols.find((p) => p.name === 'json-lines')!.address;
      const started = Date.now();
      const [rest, overLine] = await Promise.all([call(`${server.url}/v1/models/dense:predict`, { instances: x }), askLine(line, { model: 'dense', x })]);
      expect(Date.now() - started).to.be.below(4000); // a full batch runs at once, without waiting for the delay
      expect(maxDiff(rest.body.predictions.flat(), overLine.probs)).to.be.below(1e-6);
      const metrics = parseMetrics((await call(`${server.url}/metrics`)).body as string);
      expect(metricValue(metrics, 'modelport_serving_batch_size_count', { model: 'dense' })).to.equal(1);
      expect(metricValue(metrics, 'modelport_serving_batch_size_sum', { model: 'dense' })).to.equal(2);
    } finally {
      await server.close();
    }
  });

  it('refuses two protocols of one name, naming both plugins', async () => {
    const session = await configuredContainer();
    await coreServices(session).host.apply(protocolPlugin('test-other-kserve', [{ ...ECHO_PREDICT, name: 'kserve-v2' }]));
    let error: Error | undefined;
    await startServer({ repository: repo, port: 0, container: session, pollSeconds: 0 }).then((s) => s.close(), (e) => { error = e; });
    expect(error?.message).to.equal('serving protocol "kserve-v2" is contributed twice, by @modelport/serving-http and by test-other-kserve; rename one of them or leave one plugin out of the session');
  });

  it('refuses a route another protocol serves, naming both protocols and their plugins', async () => {
    const session = await configuredContainer();
    const liveToo: ServingProtocol = { name: 'live-too', description: 'live /v2/health/live', register(app) { app.get('/v2/health/live/', async () => ({ live: 'yes' })); } };
    await coreServices(session).host.apply(protocolPlugin('test-live-too', [liveToo]));
    let error: Error | undefined;
    await startServer({ repository: repo, port: 0, container: session, pollSeconds: 0 }).then((s) => s.close(), (e) => { error = e; });
    expect(error?.message).to.equal('GET /v2/health/live is declared by protocol "kserve-v2" of @modelport/serving-http and by protocol "live-too" of test-live-too; two protocols cannot serve one route: move one of them to another path or leave one plugin out');
  });

  it('says which protocol and plugin failed when a listener cannot start, and frees the HTTP port', async () => {
    const session = await configuredContainer();
    const broken: ServingProtocol = { name: 'broken-grpc', description: 'gRPC', async listen() { throw new Error('port 8500 is in use'); } };
    await coreServices(session).host.apply(protocolPlugin('test-broken', [broken]));
    const port = await freePort();
    let error: Error | undefined;
    await startServer({ repository: repo, port, container: session, pollSeconds: 0 }).then((s) => s.close(), (e) => { error = e; });
    expect(error?.message).to.equal('[plugin test-broken] protocol "broken-grpc" could not start its listener: port 8500 is in use');
    const again = await startServer({ repository: repo, port, container, pollSeconds: 0 });
    await again.close();
  });

  it('serves the built-in protocols once when serving-http itself is applied and contributes them', async () => {
    const session = await configuredContainer();
    await coreServices(session).host.apply(servingHttp, { repository: repo });
    const server = await startServer({ repository: repo, port: 0, container: session, pollSeconds: 0 });
    try {
      expect(server.protocols.map((p) => p.name)).to.deep.equal(['tf-serving-rest', 'kserve-v2', 'prometheus-metrics']);
      expect((await call(`${server.url}/v2/health/live`)).body).to.deep.equal({ live: true });
    } finally {
      await server.close();
    }
  });
});
