import { expect } from 'chai';
import { GraphExecutor, initBackend, withGraph } from '@modelport/core';
import { exportOnnx } from '../src/index.js';
import { annotateInt8, tensorRanges } from './helpers/annotate.js';
import { imageSamples, smallConvnet } from './helpers/convnet.js';
import { cosine, runOrt } from './helpers/ort.js';

describe('exporter-onnx: int8 (QDQ)', () => {
  it('writes a small convnet in QDQ form that onnxruntime fuses, close to the float graph', async () => {
    await initBackend();
    const graph = smallConvnet(64, 32);
    const samples = imageSamples(4, 64);
    const ranges = await tensorRanges(graph, samples);
    const q = annotateInt8(graph, ranges);
    const int8 = exportOnnx(q, { opset: 17, optimize: true, quantize: 'int8' });
    const float = exportOnnx(graph, { opset: 17, optimize: true });
    for (const n of int8.model.graph.nodes) console.log(n.opType, n.inputs.join(','), '->', n.outputs.join(','), JSON.stringify(n.attrs));
    const feeds = imageSamples(1, 64, 7)[0]!;
    const fr = await runOrt(float.bytes, feeds, 50);
    const ir = await runOrt(int8.bytes, feeds, 50);
    console.log(ir.optimizedOps.join(' '));
    console.log('float', fr.medianMs, 'int8', ir.medianMs, 'sizes', float.bytes.length, int8.bytes.length);
    const key = Object.keys(fr.outputs)[0]!;
    console.log('cos', cosine(fr.outputs[key]!.data as Float32Array, ir.outputs[key]!.data as Float32Array));
  });
});
