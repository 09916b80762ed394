import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import { seededRandom, type TensorData } from '@modelport/core';
import { onnxDescriber, runtimeOnnx, SIGNATURES_METADATA } from '@modelport/runtime-onnx';
import { expectSignaturesMatchGraph, moduleSignaturePlugins, photoCases, runPipeline, serveArtifact, smallImageClassifier } from '@modelport/testing';
import onnxProto from 'onnx-proto';
import { exporterOnnx } from '../src/index.js';

const ORT = [runtimeOnnx, { intraOpNumThreads: 1 }] as const;

const PHOTO_SIZES = [[200, 300], [480, 640], [256, 256]] as const;

function photoBatch(seed: number): TensorData {
  const random = seededRandom(seed);
  return { dtype: 'float32', shape: [2, 8, 8, 3], data: Float32Array.from({ length: 2 * 8 * 8 * 3 }, () => random()) };
}

describe('exporter-onnx: several signatures, one file each', function () {
  this.timeout(120_000);

  it('writes the default signature to model.onnx and each other one beside it, and runtime-onnx runs every one as the composed graph does', async () => {
    const run = await runPipeline({
      graph: smallImageClassifier(), plugins: [...moduleSignaturePlugins, exporterOnnx, ORT], targets: ['onnx'], validate: false,
      options: { signatures: { serving_default: ['pixels', 'classes'], pixels: ['pixels'] } },
    });
    const record = run.artifact('onnx');
    expect(record.path).to.equal('model.onnx');
    expect(record.details?.signatures).to.deep.equal({ serving_default: 'model.onnx', source: 'source.onnx', pixels: 'pixels.onnx' });
    expect(record.files).to.have.members(['model.onnx', 'source.onnx', 'pixels.onnx']);

    // Each file holds its own signature only, open H/W kept symbolic; the main file indexes the others.
    const decode = async (f: string) => onnxProto.onnx.ModelProto.decode(await fs.readFile(run.file('onnx', f)));
    const main = await decode('model.onnx');
    expect(main.graph!.input!.map((i) => i.name)).to.deep.equal(['image']);
    expect(main.graph!.output!.map((o) => o.name)).to.deep.equal(['probabilities', 'class']);
    expect(main.graph!.input![0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).to.deep.equal(['batch', 'image_d1', 'image_d2', 3]);
    const index = JSON.parse(main.metadataProps!.find((p) => p.key === SIGNATURES_METADATA)!.value!);
    expect(index.serving_default).to.deep.equal({ file: 'model.onnx', stages: ['pixels', 'model', 'classes'], moduleMetadata: { classes: { labels: ['a', 'b', 'c', 'd', 'e'] } } });
    const source = await decode('source.onnx');
    expect(source.graph!.input!.map((i) => i.name)).to.deep.equal(['x']);
    expect(source.graph!.node!.map((n) => n.opType)).to.not.include.members(['Cast', 'Resize', 'Softmax', 'ArgMax']);
    expect((await decode('pixels.onnx')).graph!.node!.map((n) => n.opType)).to.include('Resize').and.not.include('Softmax');

    // inspect lists every signature from its own file, with its stages.
    const described = await onnxDescriber.describe(run.file('onnx'));
    expect(Object.keys(described.signatures)).to.have.members(['serving_default', 'source', 'pixels']);
    expect(described.signatures.pixels).to.deep.include({ stages: ['pixels', 'model'], file: 'pixels.onnx' });
    expect(described.signatures.source!.inputs.map((t) => t.name)).to.deep.equal(['x']);
    expect(described.signatures.serving_default!.outputs.map((t) => t.name)).to.deep.equal(['probabilities', 'class']);

    const predictor = await serveArtifact({ plugins: [ORT], format: 'onnx', path: run.file('onnx') });
    try {
      expect(Object.keys(predictor.signatures)).to.have.members(['serving_default', 'source', 'pixels']);
      expect(predictor.signatures.serving_default!.stages).to.deep.equal(['pixels', 'model', 'classes']);
      expect(predictor.signatures.serving_default!.moduleMetadata).to.deep.equal({ classes: { labels: ['a', 'b', 'c', 'd', 'e'] } });
      expect(Object.keys(predictor.signatures.serving_default!.outputs)).to.deep.equal(['probabilities', 'class']);
      await expectSignaturesMatchGraph(predictor, run.graph, [...photoCases(['serving_default', 'pixels'], PHOTO_SIZES), { signature: 'source', inputs: { x: photoBatch(7) } }]);
    } finally {
      await predictor.dispose();
    }
  });

  it('refuses to serve an artifact one of whose signature files is missing, naming that file', async () => {
    const run = await runPipeline({
      graph: smallImageClassifier(), plugins: [...moduleSignaturePlugins, exporterOnnx, ORT], targets: ['onnx'], validate: false,
      options: { signatures: { serving_default: ['pixels', 'classes'] } },
    });
    await fs.rm(run.file('onnx', 'source.onnx'));
    const error = await serveArtifact({ plugins: [ORT], format: 'onnx', path: run.file('onnx') }).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.match(/source\.onnx.*no such ONNX file|no such ONNX file.*source\.onnx/);
  });

  it('keeps a graph of one signature in model.onnx alone, with no index', async () => {
    const run = await runPipeline({ graph: smallImageClassifier(), plugins: [exporterOnnx, ORT], targets: ['onnx'], validate: false });
    const record = run.artifact('onnx');
    expect(record.files).to.deep.equal(['model.onnx']);
    expect(record.details).to.not.have.property('signatures');
    const main = onnxProto.onnx.ModelProto.decode(await fs.readFile(run.file('onnx')));
    expect(main.metadataProps!.map((p) => p.key)).to.not.include(SIGNATURES_METADATA);
  });
});
