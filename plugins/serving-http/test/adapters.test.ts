import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import * as tf from '@tensorflow/tfjs';
import { wrapDetector } from '@modelport/adapter-detection';
import { fromTfTensor, toTfTensor, type Predictor, type SignatureTensor } from '@modelport/core';
import { ServingAdapterId, startServer, type AdapterContribution, type ModelServer, type ServingAdapter } from '../src/index.js';
import { call } from './support/http.js';
import { configuredContainer, denseModel, exportModel, maxDiff, referencePredict, tempRepository } from './support/models.js';

const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });
const ADAPTERS = ['@modelport/adapter-image-classification', '@modelport/adapter-detection', '@modelport/adapter-text'];

function solid(width: number, height: number, rgb: number[]): { png: Buffer; jpeg: Buffer } {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  return { png: PNG.sync.write(png), jpeg: jpeg.encode({ width, height, data: png.data }, 100).data };
}

function classifier(): tf.LayersModel {
  const image = tf.input({ shape: [8, 8, 3], name: 'image' });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, kernelInitializer: glorot(11), name: 'conv' }).apply(image) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(conv) as tf.SymbolicTensor;
  const probs = tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: glorot(12), name: 'probs' }).apply(gap) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: probs });
}

/** Image in, 3 boxes [n, 3, 4] and their scores for 2 classes [n, 3, 2]. */
function detector(): tf.LayersModel {
  const image = tf.input({ shape: [8, 8, 3], name: 'image' });
  const flat = tf.layers.flatten({ name: 'flat' }).apply(image) as tf.SymbolicTensor;
  const boxes = tf.layers.reshape({ targetShape: [3, 4], name: 'boxes' }).apply(
    tf.layers.dense({ units: 12, activation: 'sigmoid', kernelInitializer: glorot(21), name: 'box_head' }).apply(flat)) as tf.SymbolicTensor;
  const scores = tf.layers.reshape({ targetShape: [3, 2], name: 'scores' }).apply(
    tf.layers.dense({ units: 6, activation: 'sigmoid', kernelInitializer: glorot(22), name: 'score_head' }).apply(flat)) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: [boxes, scores] });
}

const SEQ = 8;
/** A BERT-shaped classifier: three int32 inputs [n, 8] through embeddings to 2 logits. */
function textModel(): tf.LayersModel {
  const names = ['input_word_ids', 'input_mask', 'input_type_ids'];
  const inputs = names.map((name) => tf.input({ shape: [SEQ], dtype: 'int32', name }));
  const embedded = inputs.map((x, i) => tf.layers.embedding({ inputDim: 16, outputDim: 3, embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 30 + i }), name: `emb${i}` }).apply(x) as tf.SymbolicTensor);
  const joined = tf.layers.concatenate({ name: 'join' }).apply(embedded) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 2, kernelInitializer: glorot(33), name: 'logits' }).apply(tf.layers.flatten({ name: 'flat' }).apply(joined)) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: logits });
}
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'good', 'bad', 'movie', '##s', '!'];

/** The detector's raw model as an in-process Predictor, to compare the server with the adapter run directly. */
function inProcess(model: tf.LayersModel): Predictor {
  const spec = (shape: (number | null)[], name: string): SignatureTensor => ({ name, dtype: 'float32', shape: shape.map((d) => d ?? -1) });
  return {
    format: 'tfjs-layers',
    signatures: { serving_default: { inputs: { image: spec(model.inputs[0]!.shape, 'image') }, outputs: { boxes: spec(model.outputs[0]!.shape, 'boxes'), scores: spec(model.outputs[1]!.shape, 'scores') } } },
    async predict(feeds) {
      const x = toTfTensor(feeds.image!);
      const [b, s] = model.predict(x) as tf.Tensor[];
      const out = { boxes: await fromTfTensor(b!), scores: await fromTfTensor(s!) };
      tf.dispose([x, b!, s!]);
      return out;
    },
    async dispose() {},
  };
}

describe('adapters applied per model by the server', function () {
  this.timeout(120_000);
  let repo: string;
  let configDir: string;
  let server: ModelServer;
  let models: { classifier: tf.LayersModel; detector: tf.LayersModel; text: tf.LayersModel };

  before(async () => {
    const container = await configuredContainer(ADAPTERS);
    models = { classifier: classifier(), detector: detector(), text: textModel() }; // after the backend is chosen
    repo = await tempRepository('adapters');
    configDir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-adapters-config-'));
    for (const [name, model] of Object.entries(models)) await exportModel(container, model, repo, name);
    await fs.writeFile(path.join(configDir, 'labels.txt'), 'apple\nbanana\ncherry\ndate\n');
    await fs.writeFile(path.join(repo, 'text', '1', 'vocab.txt'), `${VOCAB.join('\n')}\n`); // shipped with the version
    await fs.writeFile(path.join(configDir, 'models.json'), JSON.stringify({
      models: {
        classifier: { adapter: { name: 'image-classification', options: { labels: 'labels.txt', topK: 2 } }, batching: { enabled: true, maxBatchSize: 4, maxQueueDelayMs: 30 } },
        detector: { adapter: { name: '@modelport/adapter-detection', options: { scoreThreshold: 0.3, maxDetections: 3 } } },
        text: { adapter: { name: 'text', options: { vocab: 'vocab.txt' } }, batching: { enabled: true, maxBatchSize: 4, maxQueueDelayMs: 20 } },
      },
    }));
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, configFile: path.join(configDir, 'models.json') });
  });
  after(async () => {
    await server?.close();
    await fs.rm(repo, { recursive: true, force: true });
    await fs.rm(configDir, { recursive: true, force: true });
  });

  it('classifies b64 PNG and JPEG images with top-k labels, as the model does on the scaled pixels', async () => {
    const rgb = [200, 30, 90];
    const { png, jpeg: jpg } = solid(13, 17, rgb);
    const r = await call(`${server.url}/v1/models/classifier:predict`, { instances: [{ b64: png.toString('base64') }, { b64: jpg.toString('base64') }] });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    const x = tf.fill([1, 8, 8, 3], 0).add(tf.tensor1d(rgb.map((v) => v / 255)));
    const want = Array.from(await (models.classifier.predict(x) as tf.Tensor).data());
    const order = want.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    expect(r.body.predictions[0].classes).to.deep.equal(order.slice(0, 2));
    expect(r.body.predictions[0].labels).to.deep.equal(order.slice(0, 2).map((i) => ['apple', 'banana', 'cherry', 'date'][i]));
    expect(maxDiff(r.body.predictions[0].scores, order.slice(0, 2).map((i) => want[i]))).to.be.below(1e-5);
    expect(r.body.predictions[1].classes).to.deep.equal(order.slice(0, 2));
    const meta = await call(`${server.url}/v2/models/classifier`);
    expect(meta.body.inputs).to.deep.equal([{ name: 'image_bytes', datatype: 'BYTES', shape: [-1] }]);
    const v2 = await call(`${server.url}/v2/models/classifier/infer`, { inputs: [{ name: 'image_bytes', shape: [1], datatype: 'BYTES', data: [png.toString('base64')], parameters: { content_type: 'base64' } }] });
    expect(v2.status, JSON.stringify(v2.body)).to.equal(200);
    expect(v2.body.outputs.find((o: { name: string }) => o.name === 'labels').data).to.deep.equal(r.body.predictions[0].labels);
    const notImage = await call(`${server.url}/v1/models/classifier:predict`, { instances: [{ b64: Buffer.from('hello').toString('base64') }] });
    expect(notImage.status).to.equal(400);
    expect(notImage.body.error).to.match(/neither JPEG nor PNG/);
  });

  it('fails only the client whose image is bad when requests share a batch', async () => {
    const { png } = solid(8, 8, [1, 2, 3]);
    const good = { instances: [{ b64: png.toString('base64') }] };
    const bad = { instances: [{ b64: Buffer.from('GIF89a').toString('base64') }] };
    const replies = await Promise.all([good, bad, good].map((body) => call(`${server.url}/v1/models/classifier:predict`, body)));
    expect(replies.map((r) => r.status)).to.deep.equal([200, 400, 200]);
    expect(replies[0]!.body).to.deep.equal(replies[2]!.body);
  });

  it('detects through HTTP exactly as the detection adapter does in process', async () => {
    const { png } = solid(10, 10, [10, 250, 40]);
    const r = await call(`${server.url}/v1/models/detector:predict`, { inputs: { image_bytes: [{ b64: png.toString('base64') }] } });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(Object.keys(r.body.outputs)).to.deep.equal(['detection_boxes', 'detection_scores', 'detection_classes', 'num_detections']);
    const local = await wrapDetector(inProcess(models.detector), { scoreThreshold: 0.3, maxDetections: 3 }).predict({ image_bytes: { dtype: 'string', shape: [1], data: [png] as unknown as string[] } });
    expect(r.body.outputs.num_detections).to.deep.equal(Array.from(local.num_detections!.data as Float32Array));
    expect(r.body.outputs.num_detections[0]).to.be.greaterThan(0);
    expect(maxDiff(r.body.outputs.detection_boxes, Array.from(local.detection_boxes!.data as Float32Array))).to.be.below(1e-5);
    expect(maxDiff(r.body.outputs.detection_scores, Array.from(local.detection_scores!.data as Float32Array))).to.be.below(1e-5);
    expect(r.body.outputs.detection_classes).to.deep.equal([Array.from(local.detection_classes!.data as Float32Array)]);
  });

  it('tokenizes raw text (batched), matching the model on the WordPiece ids', async () => {
    const texts = ['Good movies!', 'bad movie', 'GOOD'];
    const replies = await Promise.all(texts.map((t) => call(`${server.url}/v1/models/text:predict`, { instances: [t] })));
    const ids = [[2, 4, 6, 7, 8, 3, 0, 0], [2, 5, 6, 3, 0, 0, 0, 0], [2, 4, 3, 0, 0, 0, 0, 0]];
    const masks = ids.map((row) => row.map((v) => (v ? 1 : 0)));
    const feeds = [tf.tensor2d(ids, [3, SEQ], 'int32'), tf.tensor2d(masks, [3, SEQ], 'int32'), tf.zeros([3, SEQ], 'int32')];
    const want = (await (models.text.predict(feeds) as tf.Tensor).array()) as number[][];
    replies.forEach((r, i) => {
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(maxDiff(r.body.predictions[0], want[i])).to.be.below(1e-5);
    });
    const v2 = await call(`${server.url}/v2/models/text/infer`, { inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: ['bad movie'] }] });
    expect(maxDiff(v2.body.outputs[0].data, want[1])).to.be.below(1e-5);
  });
});

describe('adapters bound the older way', function () {
  this.timeout(60_000);

  it('still finds an adapter bound to ServingAdapterId rather than contributed to SERVING_ADAPTERS', async () => {
    const container = await configuredContainer();
    const doubler: ServingAdapter = {
      name: 'doubler', version: '0.0.0',
      wrap: (inner) => ({
        ...inner,
        async predict(inputs, signature) {
          const out = await inner.predict(inputs, signature);
          return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { ...t, data: Float32Array.from(t.data as Float32Array, (v) => v * 2) }]));
        },
      }),
    };
    container.bind<AdapterContribution>(ServingAdapterId).toConstantValue({ adapter: doubler });
    const repo = await tempRepository('bound-adapter');
    const dense = denseModel(6);
    await exportModel(container, dense, repo, 'dense');
    const server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, config: { models: { dense: { adapter: { name: 'doubler' } } } } });
    try {
      const x = [[0.3, -0.1, 0.2, 0.7]];
      const r = await call(`${server.url}/v1/models/dense:predict`, { instances: x });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      const want = (await referencePredict(dense, { x })).probs!.map((row) => row.map((v) => v * 2));
      expect(maxDiff(r.body.predictions, want)).to.be.below(1e-5);
    } finally {
      await server.close();
      await fs.rm(repo, { recursive: true, force: true });
    }
  });
});
