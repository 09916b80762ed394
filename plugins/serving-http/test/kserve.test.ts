import { expect } from 'chai';
import type * as tf from '@tensorflow/tfjs';
import type { ModelServer } from '../src/index.js';
import { call } from './support/http.js';
import { maxDiff, referencePredict, serveDenseAndTwoHead, type TwoModelServer } from './support/models.js';

describe('KServe Open Inference Protocol v2', function () {
  this.timeout(60_000);
  let served: TwoModelServer | undefined;
  let server: ModelServer;
  let dense: tf.LayersModel;
  let twoHead: tf.LayersModel;

  before(async () => {
    served = await serveDenseAndTwoHead('v2', 2);
    ({ server, dense, twoHead } = served);
  });
  after(() => served?.stop());

  it('is live and ready, and describes itself', async () => {
    expect(await call(`${server.url}/v2/health/live`)).to.deep.equal({ status: 200, body: { live: true } });
    expect(await call(`${server.url}/v2/health/ready`)).to.deep.equal({ status: 200, body: { ready: true } });
    const meta = await call(`${server.url}/v2`);
    expect(meta.body.name).to.equal('modelport');
    expect(meta.body.extensions).to.be.an('array');
  });

  it('gives model metadata with typed tensors, for the model and for a version', async () => {
    const r = await call(`${server.url}/v2/models/two-head`);
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({
      name: 'two-head', versions: ['1'], platform: 'tfjs',
      inputs: [{ name: 'a', datatype: 'FP32', shape: [-1, 4] }, { name: 'b', datatype: 'FP32', shape: [-1, 2] }],
      outputs: [{ name: 'sum', datatype: 'FP32', shape: [-1, 3] }, { name: 'scaled', datatype: 'FP32', shape: [-1, 2] }],
    });
    expect((await call(`${server.url}/v2/models/two-head/versions/1`)).body.name).to.equal('two-head');
  });

  it('says whether a model and a version are ready', async () => {
    expect(await call(`${server.url}/v2/models/dense/ready`)).to.deep.equal({ status: 200, body: { name: 'dense', ready: true, versions: [{ version: '1', state: 'AVAILABLE' }] } });
    expect((await call(`${server.url}/v2/models/dense/versions/1/ready`)).status).to.equal(200);
    expect((await call(`${server.url}/v2/models/dense/versions/2/ready`)).status).to.equal(404);
    expect((await call(`${server.url}/v2/models/nope/ready`)).status).to.equal(404);
  });

  it('infers with flat or nested data, echoes the id, and matches tfjs', async () => {
    const x = [[0.5, 0.1, -0.2, 0.9], [0, 0, 0, 1]];
    const want = (await referencePredict(dense, { x })).probs;
    const flat = await call(`${server.url}/v2/models/dense/infer`, { id: 'req-1', inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', data: x.flat() }] });
    expect(flat.status, JSON.stringify(flat.body)).to.equal(200);
    expect(flat.body.model_name).to.equal('dense');
    expect(flat.body.model_version).to.equal('1');
    expect(flat.body.id).to.equal('req-1');
    const out = flat.body.outputs[0];
    expect(out.name).to.equal('probs');
    expect(out.datatype).to.equal('FP32');
    expect(out.shape).to.deep.equal([2, 3]);
    expect(maxDiff(out.data, want)).to.be.below(1e-5);
    const nested = await call(`${server.url}/v2/models/dense/versions/1/infer`, { inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', data: x }] });
    expect(nested.body.outputs[0].data).to.deep.equal(out.data);
  });

  it('returns only the outputs asked for, in the order asked', async () => {
    const r = await call(`${server.url}/v2/models/two-head/infer`, {
      inputs: [{ name: 'a', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }, { name: 'b', shape: [1, 2], datatype: 'FP32', data: [5, 6] }],
      outputs: [{ name: 'scaled' }],
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.outputs.map((o: { name: string }) => o.name)).to.deep.equal(['scaled']);
    const want = await referencePredict(twoHead, { a: [[1, 2, 3, 4]], b: [[5, 6]] });
    expect(maxDiff(r.body.outputs[0].data, want.scaled)).to.be.below(1e-5);
  });

  it('refuses bad requests with 400 and {"error"}, unknown models with 404', async () => {
    const infer = (model: string, body: unknown) => call(`${server.url}/v2/models/${model}/infer`, body);
    const cases: [unknown, RegExp][] = [
      [{ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: [1, 2, 3, 4] }] }, /datatype FP64, the model expects FP32/],
      [{ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3] }] }, /4 elements\) but 3 values/],
      [{ inputs: [{ name: 'x', shape: [1, 5], datatype: 'FP32', data: [1, 2, 3, 4, 5] }] }, /shape \[1, 5\].*\[\?, 4\]/],
      [{ inputs: [{ name: 'y', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] }, /"y" is not an input/],
      [{ inputs: [{ name: 'x', shape: [1, 4], data: [1, 2, 3, 4] }] }, /invalid request body.*datatype/],
      [{ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }], outputs: [{ name: 'logits' }] }, /unknown output "logits"/],
      [{ inputs: [] }, /invalid request body/],
      ['{"inputs": [', /JSON Parse error/],
    ];
    for (const [body, pattern] of cases) {
      const r = await infer('dense', body);
      expect(r.status, JSON.stringify(r.body)).to.equal(400);
      expect(r.body.error).to.match(pattern);
    }
    const unknown = await infer('nope', { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] });
    expect(unknown.status).to.equal(404);
    expect((await infer('..%2Fdense', { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] })).status).to.equal(400);
  });
});
