import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import { startServer, type ModelServer } from '../src/index.js';
import { applyFakeRuntimes, writeFakeVersion } from './support/fake-runtimes.js';
import { call, type JsonReply } from './support/http.js';
import { configuredContainer, denseModel, exportModel, tempRepository } from './support/models.js';

/** Names a plain object answers from its prototype: each must be an unknown name like any other. */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

function expectClientError(r: JsonReply, statuses: number[], mention?: string | RegExp): void {
  expect(r.status, JSON.stringify(r.body)).to.be.oneOf(statuses);
  expect(r.body, 'a JSON error').to.be.an('object').with.property('error').that.is.a('string');
  if (typeof mention === 'string') expect(r.body.error).to.include(mention);
  else if (mention) expect(r.body.error).to.match(mention);
}

describe('client mistakes under hostile input are 4xx JSON errors', function () {
  this.timeout(60_000);
  let repo: string;
  let server: ModelServer;
  const predict = (body: unknown, model = 'dense') => call(`${server.url}/v1/models/${model}:predict`, body);
  const infer = (body: unknown, model = 'dense') => call(`${server.url}/v2/models/${model}/infer`, body);
  const kserveX = (extra: object = {}) => ({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }], ...extra });

  before(async () => {
    const container = await configuredContainer();
    await applyFakeRuntimes(container);
    repo = await tempRepository('hostile');
    await exportModel(container, denseModel(1), repo, 'dense');
    await writeFakeVersion(repo, 'slow', 1, 'slow');
    await writeFakeVersion(repo, 'broken', 1, 'broken');
    server = await startServer({
      repository: repo, port: 0, container, pollSeconds: 0,
      // 1 KiB of bodies in flight at a time; 4 KiB of tensors per request.
      limits: { maxBodyBytes: 400_000, maxBodyBytesInFlight: 1024, maxRequestTensorBytes: 4096, requestTimeoutMs: 2000 },
      config: { models: { dense: { labels: { stable: 1 } }, slow: { runtimeOptions: { delayMs: 400 } }, broken: { warmup: false } } },
    });
  });
  after(async () => {
    await server?.close();
    await fs.rm(repo, { recursive: true, force: true });
  });

  it('answers a runtime failure with 500 naming the file relative to the repository, no server folder', async () => {
    const r = await predict({ instances: [[1, 2]] }, 'broken');
    expectClientError(r, [500], "open 'broken/1/weights.bin' (while reading …/cache.bin)");
    expect(JSON.stringify(r.body)).to.not.include(repo);
  });

  it('answers signature_name, KServe input, output and signature names from the prototype with 400 naming them', async () => {
    for (const name of PROTOTYPE_NAMES) {
      expectClientError(await predict({ signature_name: name, instances: [[1, 2, 3, 4]] }), [400], `"${name}" not found`);
      expectClientError(await infer(kserveX({ outputs: [{ name }] })), [400], `unknown output "${name}"`);
      expectClientError(await infer({ inputs: [{ name, shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] }), [400], `"${name}" is not an input`);
      expectClientError(await infer(kserveX({ parameters: { signature_name: name } })), [400], `"${name}" not found`);
      expectClientError(await predict(`{"instances": [{"${name}": [1, 2, 3, 4]}]}`), [400], `"${name}" is not an input`);
      expectClientError(await predict(`{"inputs": {"x": [[1, 2, 3, 4]], "${name}": [1]}}`), [400], `"${name}" is not an input`);
    }
    expect((await predict({ instances: [[1, 2, 3, 4]] })).status).to.equal(200);
  });

  it('answers version labels and model names from the prototype with 404 (or 400 for a name no model may have)', async () => {
    for (const name of PROTOTYPE_NAMES) {
      expectClientError(await call(`${server.url}/v1/models/dense/labels/${name}`), [400, 404], name.startsWith('_') ? /invalid version label/ : `Unrecognized servable version label: ${name}`);
      expectClientError(await predict({ instances: [[1, 2, 3, 4]] }, `dense/labels/${name}`), [400, 404], name);
      expectClientError(await call(`${server.url}/v1/models/${name}`), [400, 404], name);
      expectClientError(await predict({ instances: [[1, 2, 3, 4]] }, name), [400, 404], name);
      expectClientError(await call(`${server.url}/v2/models/${name}/ready`), [400, 404], name);
      expectClientError(await infer(kserveX(), name), [400, 404], name);
    }
    expect((await call(`${server.url}/v1/models/dense/labels/stable`)).status).to.equal(200);
  });

  it('refuses arrays nested past the input\'s rank, or 100,000 deep, with 400 before walking them', async () => {
    const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    expectClientError(await predict(`{"instances": ${deep(100_000)}}`), [400], /input "x" is nested more than 2 levels deep/);
    expectClientError(await predict(`{"instances": ${deep(200)}}`), [400], /input "x" is nested more than 2 levels deep, deeper than the input's rank 2/);
    expectClientError(await predict(`{"inputs": ${deep(3)}}`), [400], /nested more than 2 levels/);
    expectClientError(await infer(`{"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": ${deep(300)}}]}`), [400], /input "x" is nested more than 2 levels/);
    expect((await predict({ instances: [[1, 2, 3, 4]] })).status).to.equal(200);
  });

  it('refuses a 0 dimension with 400 naming the input, in both protocols', async () => {
    expectClientError(await predict({ instances: [[]] }), [400], /input "x" has shape \[1, 0\]: a dimension of 0/);
    expectClientError(await predict({ inputs: [] }), [400], /input "x" has shape \[0\]/);
    expectClientError(await predict({ inputs: { x: [[], []] } }), [400], /input "x" has shape \[2, 0\]/);
    expectClientError(await infer({ inputs: [{ name: 'x', shape: [0, 4], datatype: 'FP32', data: [] }] }), [400], /input "x" has shape \[0, 4\]: a dimension of 0/);
    expect((await infer(kserveX())).status).to.equal(200);
  });

  it('refuses a request whose tensors would take more than limits.maxRequestTensorBytes, from the shape alone', async () => {
    // 260 × 4 float32 = 4160 bytes > 4096, refused from the declared shape before the one value is read.
    expectClientError(await infer({ inputs: [{ name: 'x', shape: [260, 4], datatype: 'FP32', data: [1] }] }), [400], /input "x" brings the request's tensors to 4160 bytes .*limits\.maxRequestTensorBytes/);
    expectClientError(await infer({ inputs: [{ name: 'x', shape: [100000000, 100000000], datatype: 'FP32', data: [1] }] }), [400], /limits\.maxTensorElements/);
  });

  it('holds concurrent bodies past limits.maxBodyBytesInFlight until earlier ones are answered', async () => {
    // Each body is over half the 1 KiB in flight: two run one after the other, each 400 ms in the runtime.
    const body = { instances: Array.from({ length: 60 }, (_, i) => [i + 0.25, i + 0.5]) };
    expect(JSON.stringify(body).length).to.be.within(513, 1024);
    const started = Date.now();
    const replies = await Promise.all([0, 1].map(() => predict(body, 'slow')));
    const elapsed = Date.now() - started;
    expect(replies.map((r) => r.status)).to.deep.equal([200, 200]);
    expect(replies[0]!.body.predictions[59]).to.deep.equal([118.5, 119]);
    expect(elapsed).to.be.at.least(790);
    // Small bodies fit beside each other: two run at once.
    const t = Date.now();
    await Promise.all([0, 1].map(() => predict({ instances: [[1, 2]] }, 'slow')));
    expect(Date.now() - t).to.be.below(790);
  });
});

describe('decoding bounds without a server', () => {
  it('refuses nesting past 64 levels when the signature does not know the rank', async () => {
    const { decodePredictRequest } = await import('../src/codecs/tf-serving-json.js');
    const sig = { inputs: { t: { name: 't:0', dtype: 'float32' as const, shape: null } }, outputs: {} };
    const nest = (n: number): unknown => (n === 0 ? 1 : [nest(n - 1)]);
    const limits = { maxTensorElements: 1000, maxRequestTensorBytes: 4096 };
    expect(decodePredictRequest({ inputs: nest(64) }, { serving_default: sig }, limits).inputs.t!.shape).to.have.length(64);
    expect(() => decodePredictRequest({ inputs: nest(65) }, { serving_default: sig }, limits)).to.throw(/input "t" is nested more than 64 levels deep/);
  });

  it('cuts server folders out of error text: the repository becomes relative, other absolute paths their last part', async () => {
    const { withoutServerPaths } = await import('../src/public-text.js');
    expect(withoutServerPaths('file "/srv/models/tiny/6": files of tiny/6 are damaged', ['/srv/models'])).to.equal('file "tiny/6": files of tiny/6 are damaged');
    expect(withoutServerPaths("ENOENT: no such file or directory, open '/var/lib/x/model.json'", ['/srv/models'])).to.equal("ENOENT: no such file or directory, open '…/model.json'");
    expect(withoutServerPaths('see https://example.com/a/b and ratio 3/4', ['/srv/models'])).to.equal('see https://example.com/a/b and ratio 3/4');
    const once = withoutServerPaths('open /opt/x/cache.bin', []);
    expect(withoutServerPaths(once, [])).to.equal(once);
  });
});

describe('dtype names from a file', () => {
  it('takes no prototype name for a dtype: a signature typed "constructor" cannot be decoded into, and says so', async () => {
    const { tensorBuilder } = await import('../src/codecs/json-values.js');
    for (const name of PROTOTYPE_NAMES) expect(() => tensorBuilder(name, [1], 'input "x"')).to.throw(`input "x": tensors of type ${name} cannot be sent as JSON`);
  });
});

describe('bytes in flight', () => {
  it('admits in order of arrival, refuses with 503 (UNAVAILABLE) past the wait, and lets a body larger than the whole run alone', async () => {
    const { BytesInFlight } = await import('../src/bytes-in-flight.js');
    const { ServingError } = await import('../src/errors.js');
    const gate = new BytesInFlight(1000);
    await gate.acquire(600, 1000);
    const order: string[] = [];
    const second = gate.acquire(600, 1000).then(() => order.push('second'));
    const third = gate.acquire(100, 1000).then(() => order.push('third')); // fits, but waits its turn
    const late = gate.acquire(900, 30).catch((e: unknown) => e);
    const refused = await late;
    expect(refused).to.be.instanceOf(ServingError);
    expect((refused as InstanceType<typeof ServingError>).httpStatus).to.equal(503);
    expect((refused as Error).message).to.match(/limits\.maxBodyBytesInFlight 1000/);
    expect(order).to.deep.equal([]);
    gate.release(600);
    await Promise.all([second, third]);
    expect(order).to.deep.equal(['second', 'third']);
    expect(gate.inUse).to.equal(700);
    gate.release(600);
    gate.release(100);
    await gate.acquire(5000, 10); // larger than the whole: admitted when nothing else is in flight
    expect(gate.inUse).to.equal(1000);
  });
});
