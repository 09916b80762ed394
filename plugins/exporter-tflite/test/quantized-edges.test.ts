import { expect } from 'chai';
import {
  attrValue, dequantizeValues, GraphBuilder, initBackend, quantizeValues, UnsupportedOpsError, type Graph, type Node, type TensorData,
} from '@modelport/core';
import { exportTflite } from '../src/index.js';
import { annotateDynamic, annotateFloat16, annotateInt8, tensorRanges } from './annotate.js';
import { smallConvnet } from './convnet.js';
import { windowAttrs } from './op-graph.js';
import { readQuantized } from './read-quantized.js';
import { exportAndRun, floatSamples, worstCosine } from './run-quantized.js';

describe('exporter-tflite: integer edges, dynamic and float16 weights in LiteRT.js', () => {
  before(() => initBackend());

  it('int8-full: uint8 input and outputs carry the signature parameters, and the model stays close to float', async () => {
    const graph = smallConvnet();
    const samples = floatSamples(graph, 8);
    const full = annotateInt8(graph, await tensorRanges(graph, samples.slice(0, 5)), { io: 'uint8' });
    const sig = full.signatures.serving_default!;
    const inQ = sig.inputs.image!.quantization!;
    // Callers feed uint8: the float samples quantized with the input's parameters.
    const fed = samples.slice(5).map((s) => ({ image: { dtype: 'uint8' as const, shape: s.image!.shape, data: quantizeValues(s.image!.data as Float32Array, s.image!.shape, inQ) as Uint8Array } }));
    const { bytes, outputs } = await exportAndRun(full, fed, { quantize: 'int8-full' });
    const m = readQuantized(bytes);
    const input = m.tensors[m.inputs[0]!]!;
    expect([input.type, input.zeroPoint[0]]).to.deep.equal(['UINT8', inQ.zeroPoint[0]]);
    expect(m.operators.some((o) => o.op === 'DEQUANTIZE')).to.equal(false);
    for (const [k, key] of ['dense', 'probs'].entries()) {
      const out = m.tensors[m.outputs[k]!]!;
      expect([out.type, out.zeroPoint[0]], key).to.deep.equal(['UINT8', sig.outputs[key]!.quantization!.zeroPoint[0]]);
      expect(outputs[0]![key]!.dtype).to.equal('uint8');
    }
    const decode = (key: string) => (t: TensorData): TensorData => ({ ...t, dtype: 'float32', data: dequantizeValues(t.data as Uint8Array, t.shape, sig.outputs[key]!.quantization!) });
    const logits = await worstCosine(graph, samples.slice(5), outputs, 'dense', decode('dense'));
    const probs = await worstCosine(graph, samples.slice(5), outputs, 'probs', decode('probs'));
    console.log(`      int8-full (uint8 edges): ${bytes.length} bytes, cosine logits ${logits.toFixed(5)}, softmax ${probs.toFixed(5)}`);
    expect(logits).to.be.greaterThan(0.99);
    expect(probs).to.be.greaterThan(0.99);
  });

  it('int8-full with int8 edges: the model takes and gives int8 with the int8 parameters, no conversion at the input', async () => {
    // LiteRT.js cannot feed int8: the file is checked, not run.
    const graph = smallConvnet();
    const full = annotateInt8(graph, await tensorRanges(graph, floatSamples(graph, 4)), { io: 'int8' });
    const { bytes } = await exportTflite(full, { quantize: 'int8-full' });
    const m = readQuantized(bytes);
    const input = m.tensors[m.inputs[0]!]!;
    const q = full.signatures.serving_default!.inputs.image!.quantization!;
    expect([input.type, input.zeroPoint]).to.deep.equal(['INT8', q.zeroPoint]);
    expect(m.operators.some((o) => o.op === 'QUANTIZE' && o.inputs[0] === m.inputs[0])).to.equal(false);
    expect(m.outputs.map((i) => m.tensors[i]!.type)).to.deep.equal(['INT8', 'INT8']);
    expect(m.operators.some((o) => o.op === 'DEQUANTIZE')).to.equal(false);
  });

  it('dynamic: int8 weights go straight into hybrid CONV_2D and FULLY_CONNECTED, through DEQUANTIZE into DEPTHWISE_CONV_2D, close to float', async () => {
    const graph = smallConvnet();
    const samples = floatSamples(graph, 3);
    const float = await exportAndRun(graph, samples);
    const { bytes, outputs } = await exportAndRun(annotateDynamic(graph), samples, { quantize: 'dynamic' });
    const m = readQuantized(bytes);
    expect(Object.fromEntries(m.versions)).to.include({ CONV_2D: 5, DEPTHWISE_CONV_2D: 1, FULLY_CONNECTED: 9, DEQUANTIZE: 5 });
    expect(m.operators.some((o) => o.op === 'QUANTIZE')).to.equal(false);
    const dequantize = m.operators.filter((o) => o.op === 'DEQUANTIZE');
    const depthwise = m.operators.find((o) => o.op === 'DEPTHWISE_CONV_2D')!;
    expect(dequantize.map((o) => o.outputs[0])).to.deep.equal([depthwise.inputs[1]]);
    expect(m.tensors[dequantize[0]!.inputs[0]!]!.quantizedDimension).to.equal(3);
    const conv = m.operators.find((o) => o.op === 'CONV_2D')!;
    expect(conv.inputs.map((i) => m.tensors[i]!.type).slice(0, 2)).to.deep.equal(['FLOAT32', 'INT8']);
    const filter = m.tensors[conv.inputs[1]!]!;
    expect([filter.scale.length, filter.quantizedDimension]).to.deep.equal([8, 0]);
    const cosine = await worstCosine(graph, samples, outputs, 'dense');
    console.log(`      dynamic: ${bytes.length} bytes (float ${float.bytes.length}), cosine logits ${cosine.toFixed(6)}`);
    expect(cosine).to.be.greaterThan(0.999);
  });

  it('float16: the Consts annotated float16 are FLOAT16 behind DEQUANTIZE (version 3), others stay float32', async () => {
    const graph = smallConvnet();
    const annotated = annotateFloat16(graph);
    const constants = new Map(annotated.constants);
    constants.set('dense/w', graph.constants.get('dense/w')!); // one weight left unannotated
    const samples = floatSamples(graph, 2);
    const { bytes, outputs } = await exportAndRun({ ...annotated, constants }, samples, { quantize: 'float16' });
    const m = readQuantized(bytes);
    expect(m.versions.get('DEQUANTIZE')).to.equal(3);
    expect(m.tensors.find((t) => t.name === 'conv1/w/ohwi_fp16')!.type).to.equal('FLOAT16');
    expect(m.tensors.find((t) => t.name === 'dense/w/weights_t')!.type).to.equal('FLOAT32');
    expect(m.tensors.some((t) => t.name.startsWith('dense/w') && t.type === 'FLOAT16')).to.equal(false);
    expect(await worstCosine(graph, samples, outputs, 'dense')).to.be.greaterThan(0.9999);
  });

  it('refuses int8 nodes without an int8 form here, all at once, naming the mode and the target', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 4, 4, 2]);
    const y = b.input('y', 'float32', [4, 2]);
    const z = b.input('z', 'float32', [3, 4]);
    b.node('elu', { op: 'Elu', inputs: [x], attrs: { T: attrValue.dtype('float32') } });
    b.node('mm', { op: 'MatMul', inputs: [z, y], attrs: { T: attrValue.dtype('float32'), transpose_a: attrValue.bool(false), transpose_b: attrValue.bool(false) } });
    b.node('pool', { op: 'MaxPool', inputs: [x], attrs: windowAttrs({ ksize: [2, 2], strides: [2, 2], padding: 'EXPLICIT', explicit: [0, 0, 1, 1, 1, 1, 0, 0] }) });
    b.outputs('elu', 'mm', 'pool');
    const graph = markInt8(b.build(), ['elu', 'mm', 'pool']);
    const err = await exportTflite(graph, { quantize: 'int8-full' }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(UnsupportedOpsError);
    const message = (err as Error).message;
    expect(message).to.match(/--quantize int8-full/).and.to.match(/tflite/);
    expect(message).to.match(/"elu" \(Elu \(no int8 rule/).and.to.match(/"mm" \(MatMul/).and.to.match(/"pool" \(MaxPool/);
  });
});

/** Marks nodes int8 by hand, with output parameters, and the inputs they read. */
function markInt8(graph: Graph, names: readonly string[]): Graph {
  const q = { dtype: 'int8' as const, scale: [0.02], zeroPoint: [0] };
  const nodes: Node[] = graph.nodes.map((n) => (names.includes(n.name) || n.op === 'Placeholder'
    ? { ...n, ...(n.op === 'Placeholder' ? {} : { quantized: 'int8' as const }), outputs: [{ dtype: 'float32', shape: null, quantization: q }] }
    : n));
  return { ...graph, nodes };
}
