import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import {
  composeSignatures, contribute, coreServices, EXPORT_MODULES, GraphBuilder, GraphExecutor, type ExportModule, type Graph, type Logger,
} from '@modelport/core';
import { startServer } from '../src/index.js';
import { call } from './support/http.js';
import { configuredContainer, maxDiff, tempRepository } from './support/models.js';

// A model exported with its decoding built in (an output module after "model"): the server must
// serve its signatures as they are, even when the config names an adapter for it.

const F = { T: { type: 'float32' } } as const;

function classifier(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 3]);
  const w = b.constant('w', 'float32', [3, 3], [0.9, -0.4, 0.2, -0.3, 0.8, 0.1, 0.5, 0.3, -0.7]);
  const logits = b.node('logits', { op: 'MatMul', inputs: [x, w], attrs: { ...F, transpose_a: { b: false }, transpose_b: { b: false } } });
  const scores = b.node('scores', { op: 'Softmax', inputs: [logits], attrs: F });
  return b.outputs(scores).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [-1, 3] } },
    outputs: { scores: { name: 'scores:0', dtype: 'float32', shape: [-1, 3] } },
  }).build();
}

/** uint8 image of any size → mean colour in [0, 1]: the model's x. */
const pixels: ExportModule = {
  kind: 'input', name: 'pixels',
  build(ctx) {
    const image = ctx.ops.input('image', 'uint8', [-1, -1, -1, 3]);
    const f = ctx.ops.node('to_float', { op: 'Cast', inputs: [image], attrs: { SrcT: { type: 'uint8' }, DstT: { type: 'float32' }, Truncate: { b: false } } });
    const unit = ctx.ops.node('unit', { op: 'RealDiv', inputs: [f, ctx.ops.constant('scale', 'float32', [], [255])], attrs: F });
    const axes = ctx.ops.constant('axes', 'int32', [2], [1, 2]);
    return { feeds: { x: ctx.ops.node('mean', { op: 'Mean', inputs: [unit, axes], attrs: { ...F, Tidx: { type: 'int32' }, keep_dims: { b: false } } }) } };
  },
};

/** The best class as int32, beside the scores. */
const top: ExportModule = {
  kind: 'output', name: 'top',
  build(ctx, _o, outputs) {
    const scores = outputs.scores!;
    const best = ctx.ops.node('best', { op: 'ArgMax', inputs: [scores.name, ctx.ops.constant('axis', 'int32', [], [1])], attrs: { ...F, Tidx: { type: 'int32' }, output_type: { type: 'int32' } } });
    return { outputs: { class: { name: best, dtype: 'int32', shape: [-1] }, scores } };
  },
};

const SIGNATURES = { serving_default: ['pixels', 'top'] };

describe('serving a model whose signatures decode their outputs', function () {
  this.timeout(120_000);

  it('serves its signatures as exported, not through the adapter the config names, and logs why', async () => {
    const container = await configuredContainer(['@modelport/adapter-image-classification']);
    contribute(container, EXPORT_MODULES, pixels, 'colour-modules');
    contribute(container, EXPORT_MODULES, top, 'colour-modules');
    const repo = await tempRepository('decoding');
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m) => { warnings.push(m); } };
    await coreServices(container).pipeline.run({
      source: { format: 'graph', graph: classifier(), name: 'colours' },
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
      const reference = composeSignatures(classifier(), { signatures: SIGNATURES }, [{ plugin: 'colour-modules', value: pixels }, { plugin: 'colour-modules', value: top }]);
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
