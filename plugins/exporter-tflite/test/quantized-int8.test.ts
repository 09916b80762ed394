import { expect } from 'chai';
import { attrValue, GraphBuilder, initBackend, sizeOfShape, type Graph, type TensorData } from '@modelport/core';
import { annotateInt8, tensorRanges } from './annotate.js';
import { smallConvnet } from './convnet.js';
import { windowAttrs } from './op-graph.js';
import { readQuantized, type ReadModel, type ReadTensor } from './read-quantized.js';
import { exportAndRun, floatSamples, worstCosine } from './run-quantized.js';

async function int8Of(graph: Graph, calibration: readonly Record<string, TensorData>[]): Promise<Graph> {
  return annotateInt8(graph, await tensorRanges(graph, calibration));
}

const tensorOf = (m: ReadModel, name: string): ReadTensor => m.tensors.find((t) => t.name === name)!;
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.abs(b);

describe('exporter-tflite: int8 models in LiteRT.js', () => {
  before(() => initBackend());

  it('a small convnet annotated int8 is int8 inside, with the annotated parameters and int8 op versions, and stays close to float', async () => {
    const graph = smallConvnet();
    const samples = floatSamples(graph, 9);
    const quantized = await int8Of(graph, samples.slice(0, 6));
    const test = samples.slice(6);
    const { bytes, outputs } = await exportAndRun(quantized, test, { quantize: 'int8' });
    const m = readQuantized(bytes);

    // Every compute op reads and writes int8; float only at the edges (QUANTIZE in, DEQUANTIZE out).
    for (const o of m.operators.filter((x) => x.op !== 'QUANTIZE' && x.op !== 'DEQUANTIZE')) {
      expect(m.tensors[o.inputs[0]!]!.type, `${o.op} input`).to.equal('INT8');
      expect(m.tensors[o.outputs[0]!]!.type, `${o.op} output`).to.equal('INT8');
    }
    expect(Object.fromEntries(m.versions)).to.include({ CONV_2D: 3, DEPTHWISE_CONV_2D: 3, FULLY_CONNECTED: 4, MAX_POOL_2D: 2, AVERAGE_POOL_2D: 2, CONCATENATION: 2, SOFTMAX: 2, DEQUANTIZE: 2, QUANTIZE: 1 });
    // A RELU whose input nothing else reads is fused into the op before it, int8 as float.
    expect(Object.fromEntries(m.versions)).to.not.have.property('RELU');

    const q = (node: string) => quantized.nodes.find((n) => n.name === node)!.outputs![0]!.quantization!;
    const conv1 = tensorOf(m, 'conv1');
    expect(conv1.type).to.equal('INT8');
    expect(close(conv1.scale[0]!, q('conv1').scale[0]!)).to.equal(true);
    expect(conv1.zeroPoint).to.deep.equal(q('conv1').zeroPoint);
    // Weights per output channel along TFLite's layout: OHWI axis 0, depthwise 1HWC axis 3.
    const w1 = tensorOf(m, 'conv1/w/ohwi_int8');
    expect([w1.type, w1.scale.length, w1.quantizedDimension]).to.deep.equal(['INT8', 8, 0]);
    const dw = tensorOf(m, 'dw1/w/1hwc_int8');
    expect([dw.type, dw.scale.length, dw.quantizedDimension]).to.deep.equal(['INT8', 8, 3]);
    const b1 = tensorOf(m, 'conv1/b/bias_int32');
    expect(b1.type).to.equal('INT32');
    b1.scale.forEach((s, c) => expect(close(s, q('image').scale[0]! * w1.scale[c]!), `bias scale ${c}`).to.equal(true));
    // conv2 has no bias: a zero int32 one, scaled input × weight.
    expect(tensorOf(m, 'conv2/bias_int32').type).to.equal('INT32');
    // Softmax writes the kernel's fixed parameters.
    const probs = tensorOf(m, 'probs');
    expect([probs.type, probs.scale[0], probs.zeroPoint[0]]).to.deep.equal(['INT8', 1 / 256, -128]);
    // CONCATENATION needs one scale: every input carries the output's, requantized where the annotation differs.
    const concat = m.operators.find((o) => o.op === 'CONCATENATION')!;
    const out = m.tensors[concat.outputs[0]!]!;
    for (const i of concat.inputs) expect(m.tensors[i]!.scale).to.deep.equal(out.scale);
    expect(m.operators.filter((o) => o.op === 'QUANTIZE').length).to.be.greaterThan(1);

    const logits = await worstCosine(graph, test, outputs, 'dense');
    const softmax = await worstCosine(graph, test, outputs, 'probs');
    console.log(`      int8 convnet: ${bytes.length} bytes, cosine logits ${logits.toFixed(5)}, softmax ${softmax.toFixed(5)}`);
    expect(logits).to.be.greaterThan(0.99);
    expect(softmax).to.be.greaterThan(0.99);
  });

  it('an int8 conv model is at most 0.3× the float file', async () => {
    const graph = wideConvnet();
    const samples = floatSamples(graph, 4);
    const quantized = await int8Of(graph, samples.slice(0, 3));
    const float = await exportAndRun(graph, samples.slice(3));
    const int8 = await exportAndRun(quantized, samples.slice(3), { quantize: 'int8' });
    const ratio = int8.bytes.length / float.bytes.length;
    const cosine = await worstCosine(graph, samples.slice(3), int8.outputs, 'conv2');
    console.log(`      float ${float.bytes.length} bytes, int8 ${int8.bytes.length} bytes (${ratio.toFixed(3)}×), cosine ${cosine.toFixed(5)}`);
    expect(ratio).to.be.at.most(0.3);
    expect(cosine).to.be.greaterThan(0.99);
  });

  it('an int8 Conv2D gives the integers a reference int8 computation gives (±1)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 5, 5, 3]);
    const w = b.constant('w', 'float32', [3, 3, 3, 4], Array.from({ length: 108 }, (_, i) => Math.sin(i * 1.7) * 0.5));
    b.node('conv', { op: 'Conv2D', inputs: [x, w], attrs: { T: attrValue.dtype('float32'), ...windowAttrs({ padding: 'VALID' }) } });
    b.outputs('conv');
    const graph = b.build();
    const samples = floatSamples(graph, 3);
    const quantized = await int8Of(graph, samples.slice(0, 2));
    const { outputs } = await exportAndRun(quantized, samples.slice(2), { quantize: 'int8' });
    const xq = quantized.nodes.find((n) => n.name === 'x')!.outputs![0]!.quantization!;
    const oq = quantized.nodes.find((n) => n.name === 'conv')!.outputs![0]!.quantization!;
    const wq = quantized.constants.get('w')!.quantization!;
    const reference = referenceConv(samples[2]!.x!.data as Float32Array, quantized.constants.get('w')!.values as Float32Array, xq, wq, oq);
    const got = Array.from(outputs[0]!.conv!.data as Float32Array, (v) => Math.round(v / oq.scale[0]!) + oq.zeroPoint[0]!);
    expect(got.length).to.equal(reference.length);
    const worst = Math.max(...got.map((v, i) => Math.abs(v - reference[i]!)));
    expect(worst).to.be.at.most(1);
  });
});

/** Two wide 3×3 convolutions: weights dominate the file, as in real models. */
function wideConvnet(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 8, 8, 16]);
  const weight = (name: string, shape: number[]) => b.constant(name, 'float32', shape, Array.from({ length: sizeOfShape(shape) }, (_, i) => Math.sin(i * 0.37) * 0.2));
  const attrs = { T: attrValue.dtype('float32'), ...windowAttrs({}) };
  const c1 = b.node('conv1', { op: 'Conv2D', inputs: [x, weight('w1', [3, 3, 16, 64])], attrs });
  const r1 = b.node('relu1', { op: 'Relu', inputs: [c1], attrs: { T: attrValue.dtype('float32') } });
  b.node('conv2', { op: 'Conv2D', inputs: [r1, weight('w2', [3, 3, 64, 64])], attrs });
  b.outputs('conv2');
  return b.build();
}

/** int8 VALID conv, stride 1, NHWC × HWIO: int32 sums of (x − zx)·w, requantized by sx·sw[c]/so, rounded half away from zero. */
function referenceConv(
  input: Float32Array, filter: Float32Array,
  xq: { scale: readonly number[]; zeroPoint: readonly number[] }, wq: { scale: readonly number[] }, oq: { scale: readonly number[]; zeroPoint: readonly number[] },
): number[] {
  const [H, W, C, K, O] = [5, 5, 3, 3, 4];
  const round = (v: number) => Math.sign(v) * Math.round(Math.abs(v));
  const clamp = (v: number) => Math.min(127, Math.max(-128, v));
  const xi = Array.from(input, (v) => clamp(round(v / xq.scale[0]!) + xq.zeroPoint[0]!));
  const wi = Array.from(filter, (v, i) => clamp(round(v / wq.scale[i % O]!)));
  const out: number[] = [];
  for (let y = 0; y + K <= H; y++) {
    for (let x = 0; x + K <= W; x++) {
      for (let o = 0; o < O; o++) {
        let acc = 0;
        for (let ky = 0; ky < K; ky++) for (let kx = 0; kx < K; kx++) for (let c = 0; c < C; c++) {
          acc += (xi[((y + ky) * W + (x + kx)) * C + c]! - xq.zeroPoint[0]!) * wi[((ky * K + kx) * C + c) * O + o]!;
        }
        out.push(clamp(round((acc * xq.scale[0]! * wq.scale[o]!) / oq.scale[0]!) + oq.zeroPoint[0]!));
      }
    }
  }
  return out;
}