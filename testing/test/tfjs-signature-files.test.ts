import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import { tfjsModelDescriber } from '@modelport/importer-tfjs';
import { seededRandom, SIGNATURE_FILES_KEY, type TensorData, type TfjsModelJson } from '@modelport/core';
import { expectSignaturesMatchGraph, moduleSignaturePlugins, photoCases, runPipeline, serveArtifact, smallImageClassifier } from '../src/index.js';

// Here rather than in exporter-tfjs: the kit itself depends on exporter-tfjs and runtime-tfjs.

const PHOTO_SIZES = [[200, 300], [480, 640], [256, 256]] as const;

describe('exporter-tfjs and runtime-tfjs: several signatures, one graph model each', function () {
  this.timeout(120_000);

  it('writes the default signature to tfjs/model.json, each other one to tfjs/<key>/model.json, and runtime-tfjs runs every one as the composed graph does', async () => {
    const run = await runPipeline({
      graph: smallImageClassifier(), plugins: [...moduleSignaturePlugins], targets: ['tfjs'], validate: false,
      options: { signatures: { serving_default: ['pixels', 'classes'], pixels: ['pixels'] } },
    });
    const record = run.artifact('tfjs');
    expect(record.path).to.equal('tfjs/model.json');
    expect(record.details?.signatures).to.deep.equal({ serving_default: 'tfjs/model.json', source: 'tfjs/source/model.json', pixels: 'tfjs/pixels/model.json' });
    expect(record.files).to.include.members(['tfjs/model.json', 'tfjs/source/model.json', 'tfjs/pixels/model.json']);

    // Each model.json holds its signature alone, as serving_default with open H/W; the main one indexes the others.
    const json = async (f: string) => JSON.parse(await fs.readFile(run.file('tfjs', f), 'utf8')) as TfjsModelJson;
    const main = await json('tfjs/model.json');
    expect(Object.keys(main.signature!.inputs!)).to.deep.equal(['image']);
    expect(main.signature!.inputs!.image!.tensorShape!.dim!.map((d) => Number(d.size))).to.deep.equal([-1, -1, -1, 3]);
    expect(main.userDefinedMetadata![SIGNATURE_FILES_KEY]).to.deep.equal({
      serving_default: { file: 'model.json', stages: ['pixels', 'model', 'classes'], moduleMetadata: { classes: { labels: ['a', 'b', 'c', 'd', 'e'] } } },
      source: { file: 'source/model.json' },
      pixels: { file: 'pixels/model.json', stages: ['pixels', 'model'] },
    });
    const source = await json('tfjs/source/model.json');
    expect(source.modelTopology.node.map((n: { op: string }) => n.op)).to.not.include.members(['Cast', 'ResizeBilinear', 'Softmax', 'ArgMax']);
    expect(Object.keys(source.signature!.inputs!)).to.deep.equal(['x']);

    // inspect lists every signature from its own model.json, with its stages.
    const described = await tfjsModelDescriber.describe(run.file('tfjs'));
    expect(Object.keys(described.signatures)).to.have.members(['serving_default', 'source', 'pixels']);
    expect(described.signatures.pixels).to.deep.include({ stages: ['pixels', 'model'], file: 'pixels/model.json' });
    expect(described.signatures.source!.inputs.map((t) => t.name)).to.deep.equal(['x']);

    const predictor = await serveArtifact({ format: 'tfjs', path: run.file('tfjs') });
    try {
      expect(Object.keys(predictor.signatures)).to.have.members(['serving_default', 'source', 'pixels']);
      expect(predictor.signatures.serving_default!.stages).to.deep.equal(['pixels', 'model', 'classes']);
      expect(Object.keys(predictor.signatures.serving_default!.outputs)).to.deep.equal(['probabilities', 'class']);
      const random = seededRandom(7);
      const x = { x: { dtype: 'float32', shape: [2, 8, 8, 3], data: Float32Array.from({ length: 384 }, () => random()) } as TensorData };
      await expectSignaturesMatchGraph(predictor, run.graph, [...photoCases(['serving_default', 'pixels'], PHOTO_SIZES), { signature: 'source', inputs: x }]);
    } finally {
      await predictor.dispose();
    }
  });
});
