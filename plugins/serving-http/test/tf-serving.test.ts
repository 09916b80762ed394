import { expect } from 'chai';
import type * as tf from '@tensorflow/tfjs';
import type { ModelServer } from '../src/index.js';
import { call, rawRequest } from './support/http.js';
import { maxDiff, referencePredict, serveDenseAndTwoHead, type TwoModelServer } from './support/models.js';

const TOLERANCE = 1e-5;

describe('TF Serving REST API', function () {
  this.timeout(60_000);
  let served: TwoModelServer | undefined;
  let server: ModelServer;
  let dense: tf.LayersModel;
  let twoHead: tf.LayersModel;

  before(async () => {
    served = await serveDenseAndTwoHead('tfs', 1, { limits: { maxBodyBytes: 64 * 1024, maxTensorElements: 1000 } });
    ({ server, dense, twoHead } = served);
  });
  after(() => served?.stop());

  describe('status and metadata', () => {
    it('reports every version of a model as AVAILABLE with an OK status', async () => {
      const r = await call(`${server.url}/v1/models/dense`);
      expect(r.status).to.equal(200);
      expect(r.body).to.deep.equal({ model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] });
      expect((await call(`${server.url}/v1/models/dense/versions/1`)).body.model_version_status).to.have.length(1);
    });

    it('prints the signature_def map in TF Serving\'s JSON shape', async () => {
      const r = await call(`${server.url}/v1/models/two-head/metadata`);
      expect(r.status).to.equal(200);
      expect(r.body.model_spec).to.deep.equal({ name: 'two-head', signature_name: '', version: '1' });
      const def = r.body.metadata.signature_def.signature_def.serving_default;
      expect(def.method_name).to.equal('tensorflow/serving/predict');
      expect(def.inputs.a).to.deep.equal({
        dtype: 'DT_FLOAT', name: 'a:0',
        tensor_shape: { dim: [{ size: '-1', name: '' }, { size: '4', name: '' }], unknown_rank: false },
      });
      expect(Object.keys(def.outputs)).to.deep.equal(['sum', 'scaled']);
      expect((await call(`${server.url}/v1/models/two-head/versions/1/metadata`)).status).to.equal(200);
    });
  });

  describe('predict', () => {
    const x = [[0.1, 0.2, 0.3, 0.4], [1, -1, 0.5, 2]];

    it('answers the row format with one prediction per instance, equal to tfjs', async () => {
      const r = await call(`${server.url}/v1/models/dense:predict`, { instances: x });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      const want = await referencePredict(dense, { x });
      expect(r.body.predictions).to.have.length(2);
      expect(maxDiff(r.body.predictions, want.probs)).to.be.below(TOLERANCE);
    });

    it('answers the columnar format with "outputs"', async () => {
      const r = await call(`${server.url}/v1/models/dense/versions/1:predict`, { signature_name: 'serving_default', inputs: { x } });
      expect(r.status).to.equal(200);
      expect(maxDiff(r.body.outputs, (await referencePredict(dense, { x })).probs)).to.be.below(TOLERANCE);
      const bare = await call(`${server.url}/v1/models/dense:predict`, { inputs: x });
      expect(maxDiff(bare.body.outputs, r.body.outputs)).to.equal(0);
    });

    it('takes named instances and returns objects by output name for several inputs and outputs', async () => {
      const a = [[1, 2, 3, 4], [0, 0, 1, 1]];
      const b = [[0.5, -0.5], [2, 3]];
      const rows = await call(`${server.url}/v1/models/two-head:predict`, { instances: [{ a: a[0], b: b[0] }, { a: a[1], b: b[1] }] });
      expect(rows.status, JSON.stringify(rows.body)).to.equal(200);
      const want = await referencePredict(twoHead, { a, b });
      expect(Object.keys(rows.body.predictions[0])).to.deep.equal(['sum', 'scaled']);
      expect(maxDiff(rows.body.predictions.map((p: { sum: number[] }) => p.sum), want.sum)).to.be.below(TOLERANCE);
      expect(maxDiff(rows.body.predictions.map((p: { scaled: number[] }) => p.scaled), want.scaled)).to.be.below(TOLERANCE);
      const columns = await call(`${server.url}/v1/models/two-head:predict`, { inputs: { a, b } });
      expect(maxDiff(columns.body.outputs.sum, want.sum)).to.be.below(TOLERANCE);
      expect(maxDiff(columns.body.outputs.scaled, want.scaled)).to.be.below(TOLERANCE);
    });
  });

  describe('errors', () => {
    const predict = (model: string, body: unknown) => call(`${server.url}/v1/models/${model}:predict`, body);
    const expectError = (r: { status: number; body: any }, status: number, pattern: RegExp) => {
      expect(r.status, JSON.stringify(r.body)).to.equal(status);
      expect(Object.keys(r.body)).to.deep.equal(['error']);
      expect(r.body.error).to.match(pattern);
    };

    it('refuses malformed JSON, both formats at once, and an empty body with 400', async () => {
      expectError(await predict('dense', '{"instances": [1, 2'), 400, /^JSON Parse error: the request body ends before its JSON value is complete$/);
      const garbled = await predict('dense', '\u0000{"instances": [[1, 2, 3, 4]]}');
      expectError(garbled, 400, /^JSON Parse error: the request body is not valid JSON/);
      expect(garbled.body.error, 'no byte of the body is quoted back').to.not.match(/[\u0000-\u001f]|instances/);
      expectError(await predict('dense', { instances: [[1, 2, 3, 4]], inputs: [[1, 2, 3, 4]] }), 400, /either "instances".*or "inputs"/);
      expectError(await predict('dense', ''), 400, /body is empty/);
      expectError(await predict('dense', { instances: [[1, 2, 3, 4]], extra: 1 }), 400, /invalid request body/);
    });

    it('refuses wrong shapes, ragged lists, wrong types and unknown inputs with 400, naming the input', async () => {
      expectError(await predict('dense', { instances: [[1, 2, 3]] }), 400, /input "x" has shape \[1, 3\].*\[\?, 4\]/);
      expectError(await predict('dense', { instances: [[1, 2, 3, 4], [1, 2]] }), 400, /ragged/);
      expectError(await predict('dense', { instances: [['a', 'b', 'c', 'd']] }), 400, /not a number/);
      expectError(await predict('dense', { instances: [[{ b64: 'AAAA' }, 1, 2, 3]] }), 400, /b64.*string inputs/);
      expectError(await predict('two-head', { inputs: { a: [[1, 2, 3, 4]], c: [[1, 2]] } }), 400, /"c" is not an input.*input "b" is missing/);
      expectError(await predict('two-head', { instances: [[1, 2, 3, 4]] }), 400, /2 inputs/);
    });

    it('answers 404 for unknown models, versions and labels, 400 for an unknown signature', async () => {
      expectError(await call(`${server.url}/v1/models/nope`), 404, /Could not find any versions of model nope/);
      expectError(await call(`${server.url}/v1/models/dense/versions/7`), 404, /version 7/);
      expectError(await predict('dense/versions/7', { instances: [[1, 2, 3, 4]] }), 404, /version 7/);
      expectError(await call(`${server.url}/v1/models/dense/labels/stable`), 404, /Unrecognized servable version label: stable/);
      expectError(await predict('dense', { signature_name: 'other', instances: [[1, 2, 3, 4]] }), 400, /"other" not found/);
      expectError(await call(`${server.url}/v1/models/dense/versions/abc`), 400, /invalid version/);
    });

    it('refuses model names that try to leave the repository, however they are written', async () => {
      for (const path of ['/v1/models/../../etc/passwd', '/v1/models/..%2F..%2Fetc', '/v1/models/%2e%2e', '/v1/models/.hidden', '/v1/models/a%5Cb:predict', '/v1/models/%00x']) {
        const r = await rawRequest(server.url, path, path.endsWith(':predict') ? 'POST' : 'GET', path.endsWith(':predict') ? '{"instances":[1]}' : undefined);
        expect(r.status, `${path}: ${JSON.stringify(r.body)}`).to.be.oneOf([400, 404]);
        expect(r.body).to.have.property('error');
        expect(JSON.stringify(r.body)).to.not.match(/root:|passwd:/);
      }
      const r = await rawRequest(server.url, '/v1/models/..%2F..%2Fetc');
      expectError(r, 400, /invalid model name/);
    });

    it('enforces the body size (413) and tensor element (400) limits', async () => {
      const big = JSON.stringify({ instances: Array.from({ length: 5000 }, () => [0.123456, 0.123456, 0.123456, 0.123456]) });
      expectError(await predict('dense', big), 413, /larger than 65536 bytes/);
      expectError(await predict('dense', { instances: Array.from({ length: 300 }, () => [1, 2, 3, 4]) }), 400, /1200 elements, more than the limit of 1000/);
    });

    it('answers :classify with 501, GET …:predict and unknown routes with a JSON error, and stays up', async () => {
      expectError(await call(`${server.url}/v1/models/dense:classify`, { examples: [] }), 501, /not supported/);
      expectError(await call(`${server.url}/v1/models/dense:predict`), 400, /takes POST/);
      expectError(await call(`${server.url}/v1/nothing`), 404, /Malformed request/);
      expect((await predict('dense', { instances: [[1, 2, 3, 4]] })).status).to.equal(200);
    });
  });
});
