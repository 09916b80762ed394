import { expect } from 'chai';
import { GraphBuilder, type Graph, type TensorData } from '@modelport/core';
import { topK } from '@modelport/adapter-image-classification';
import exporterOnnx from '@modelport/exporter-onnx';
import exporterTflite from '@modelport/exporter-tflite';
import runtimeOnnx from '@modelport/runtime-onnx';
import runtimeTflite from '@modelport/runtime-tflite';
import { runPipeline, serveArtifact } from '@modelport/testing';
import moduleClassification from '../src/index.js';

/** scores = relu(x), x [1, 2, 3]: six classes in two rows the stage flattens. */
function reluScores(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 2, 3]);
  const y = b.node('y', { op: 'Relu', inputs: [x], attrs: { T: { type: 'float32' } } });
  return b.outputs(y).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [1, 2, 3] } },
    outputs: { scores: { name: y, dtype: 'float32', shape: [1, 2, 3] } },
  }).build();
}

// Equal scores in classes 1, 3 and 5, and 0 and 4 (relu of negatives): the lower class comes first.
const x: TensorData = { dtype: 'float32', shape: [1, 2, 3], data: Float32Array.from([0, 0.5, 0.25, 0.5, -1, 0.5]) };

describe('module-classification: equal scores', function () {
  this.timeout(120_000);

  it('ranks equal scores lower class first, as the adapter does, in tfjs, tflite and onnx', async () => {
    const run = await runPipeline({
      graph: reluScores(),
      plugins: [moduleClassification, exporterTflite, exporterOnnx, runtimeTflite, runtimeOnnx],
      targets: ['tfjs', 'tflite', 'onnx'],
      options: { signatures: { serving_default: ['classification'] }, moduleOptions: { classification: { topK: 6 } }, sourceSignature: false },
    });
    const expected = topK({ dtype: 'float32', shape: [1, 6], data: Float32Array.from(x.data as Float32Array, (v) => Math.max(0, v)) }, 6, false);
    expect(Array.from(expected.classes)).to.deep.equal([1, 3, 5, 2, 0, 4]);
    for (const [format, plugins] of [['tfjs', []], ['tflite', [runtimeTflite]], ['onnx', [runtimeOnnx]]] as const) {
      const predictor = await serveArtifact({ format, path: run.file(format), plugins });
      try {
        const out = await predictor.predict({ x });
        expect(Array.from(out.classes!.data as Int32Array), format).to.deep.equal(Array.from(expected.classes));
        expect(Array.from(out.scores!.data as Float32Array), format).to.deep.equal(Array.from(expected.scores));
        expect(out.logits!.shape, format).to.deep.equal([1, 6]);
      } finally {
        await predictor.dispose();
      }
    }
  });
});
