import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import { type Graph, type TensorData } from '@modelport/core';
import { exporterOnnx } from '@modelport/exporter-onnx';
import { exporterTflite } from '@modelport/exporter-tflite';
import type { DecodedImage } from '@modelport/images';
import { runtimeOnnx } from '@modelport/runtime-onnx';
import { describeTflite, runtimeTflite } from '@modelport/runtime-tflite';
import { runPipeline, runSource, serveArtifact, type PluginEntry } from '@modelport/testing';
import { moduleImage } from '../src/index.js';
import { crop, echoModel, maxDifference, photo, pixelBatch } from './support.js';

/**
 * Exports the echo model behind the image module as the only signature, serving_default. The
 * comparison is made here: the validation plugin runs the source signature, which this export drops.
 */
async function exportWithImage(target: string, plugins: PluginEntry[], options: Record<string, unknown>) {
  return runPipeline({
    graph: echoModel([-1, 256, 256, 3]), plugins: [moduleImage, ...plugins], targets: [target],
    options: { signatures: { serving_default: ['image'] }, moduleOptions: { image: options }, sourceSignature: false },
  });
}

/** The artifact, run by its runtime, gives what the composed graph gives in tfjs. */
async function expectArtifactLikeTfjs(file: string, format: string, runtime: PluginEntry, graph: Graph, images: DecodedImage[]): Promise<Record<string, number>> {
  const predictor = await serveArtifact({ plugins: [runtime], format, path: file });
  try {
    const inputs: Record<string, TensorData> = { image_tensor: pixelBatch(images) };
    const actual = await predictor.predict(inputs, 'serving_default');
    const reference = await runSource(graph, inputs, 'serving_default');
    const differences: Record<string, number> = {};
    for (const key of ['seen', 'image_info']) differences[key] = maxDifference(actual[key]!, reference[key]!);
    for (const [key, d] of Object.entries(differences)) expect(d, key).to.be.below(1e-4);
    return differences;
  } finally {
    await predictor.dispose();
  }
}

describe('module-image: exported, in the formats\' own runtimes', function () {
  this.timeout(300_000);

  it('TFLite with a fixed 480x640 input: letterbox computed as constants, same as tfjs', async () => {
    const run = await exportWithImage('tflite', [exporterTflite, runtimeTflite], { inputSize: [480, 640], batch: 1, keepAspectRatio: true, scale: 'symmetric' });
    expect(run.graph.signatures.serving_default!.inputs.image_tensor!.shape).to.deep.equal([1, 480, 640, 3]);
    const ops = describeTflite(await fs.readFile(run.file('tflite'))).ops;
    expect(ops).to.include.keys('CAST', 'RESIZE_BILINEAR', 'PAD');
    const hubble = crop(await photo('hubble_deep_field.jpg'), 480, 640);
    const d = await expectArtifactLikeTfjs(run.file('tflite'), 'tflite', runtimeTflite, run.graph, [hubble]);
    console.log(`      tflite 480x640 letterboxed: largest difference ${JSON.stringify(d)}`);
  });

  it('ONNX with open height and width: letterbox sizes from the shape, same as tfjs at 300x451 and 512x512', async () => {
    const run = await exportWithImage('onnx', [exporterOnnx, [runtimeOnnx, { intraOpNumThreads: 1 }]], { keepAspectRatio: true, mean: [0.5], std: [0.25] });
    for (const name of ['chelsea.png', 'astronaut.png']) {
      const d = await expectArtifactLikeTfjs(run.file('onnx'), 'onnx', [runtimeOnnx, { intraOpNumThreads: 1 }], run.graph, [await photo(name)]);
      console.log(`      onnx ${name} letterboxed: largest difference ${JSON.stringify(d)}`);
    }
  });

  it('ONNX without letterbox, BGR: same as tfjs at 300x451 and 400x600', async () => {
    const runtime: PluginEntry = [runtimeOnnx, { intraOpNumThreads: 1 }];
    const run = await exportWithImage('onnx', [exporterOnnx, runtime], { channelOrder: 'bgr', scale: 'raw', mean: [104, 117, 123] });
    for (const name of ['chelsea.png', 'coffee.png']) {
      const d = await expectArtifactLikeTfjs(run.file('onnx'), 'onnx', runtime, run.graph, [await photo(name)]);
      console.log(`      onnx ${name} bgr: largest difference ${JSON.stringify(d)}`);
    }
  });
});
