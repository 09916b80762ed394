import { expect } from 'chai';
import { attrValue, GraphBuilder, GraphExecutor, type Graph, type TensorData } from '@modelport/core';
import { fuseForTfjs } from '../src/read/fuse-for-tfjs.js';

const T = { T: attrValue.dtype('float32') };
const CONV = { ...T, strides: attrValue.ints([1, 1, 1, 1]), padding: attrValue.string('SAME'), data_format: attrValue.string('NHWC'), dilations: attrValue.ints([1, 1, 1, 1]) };

/** x → Conv2D → BiasAdd → Relu6 → MatMul-free head; `extra` adds a second reader of the BiasAdd. */
function convChain(options: { extra?: boolean; biasIsOutput?: boolean } = {}): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 4, 4, 2]);
  const w = b.constant('w', 'float32', [3, 3, 2, 3], Float32Array.from({ length: 54 }, (_, i) => Math.sin(i)));
  const bias = b.constant('b', 'float32', [3], [0.5, -0.25, 1]);
  const conv = b.node('conv', { op: 'Conv2D', inputs: [x, w], attrs: CONV });
  const biased = b.node('conv/BiasAdd', { op: 'BiasAdd', inputs: [conv, bias], attrs: { ...T, data_format: attrValue.string('NHWC') } });
  const act = b.node('relu6', { op: 'Relu6', inputs: [biased], attrs: T });
  const outputs: Record<string, { name: string; dtype: string; shape: number[] }> = { y: { name: act, dtype: 'float32', shape: [1, 4, 4, 3] } };
  if (options.extra) outputs.z = { name: b.node('neg', { op: 'Neg', inputs: [biased], attrs: T }), dtype: 'float32', shape: [1, 4, 4, 3] };
  if (options.biasIsOutput) outputs.z = { name: biased, dtype: 'float32', shape: [1, 4, 4, 3] };
  b.outputs(...Object.values(outputs).map((o) => o.name));
  return b.signature('serving_default', { inputs: { x: { name: x, dtype: 'float32', shape: [1, 4, 4, 2] } }, outputs }).build();
}

async function run(graph: Graph): Promise<Record<string, TensorData>> {
  const x: TensorData = { dtype: 'float32', shape: [1, 4, 4, 2], data: Float32Array.from({ length: 32 }, (_, i) => Math.cos(i) * 3) };
  const exec = await GraphExecutor.create(graph);
  try { return await exec.runSignature(graph.signatures.serving_default!, { x }); } finally { exec.dispose(); }
}

describe('fuseForTfjs: TensorFlow\'s unfused ops as the fused ops of a converted tfjs model', () => {
  it('makes Conv2D + BiasAdd + Relu6 one _FusedConv2D named after the Relu6, computing the same', async () => {
    const graph = convChain();
    const fused = fuseForTfjs(graph);
    const node = fused.nodes.find((n) => n.name === 'relu6')!;
    expect(node.op).to.equal('_FusedConv2D');
    expect(node.inputs).to.deep.equal(['x:0', 'w:0', 'b:0']);
    expect(node.attrs.fused_ops).to.deep.equal(attrValue.strings(['BiasAdd', 'Relu6']));
    expect(fused.nodes.map((n) => n.name)).to.not.include.members(['conv', 'conv/BiasAdd']);
    const [want, got] = [await run(graph), await run(fused)];
    const d = Math.max(...Array.from(want.y!.data as Float32Array, (v, i) => Math.abs(v - (got.y!.data as Float32Array)[i]!)));
    expect(d).to.be.below(1e-5);
  });

  it('stops at the BiasAdd when something else reads it or a signature returns it', () => {
    const shared = fuseForTfjs(convChain({ extra: true }));
    expect(shared.nodes.find((n) => n.name === 'conv/BiasAdd')!.op).to.equal('_FusedConv2D');
    expect(shared.nodes.find((n) => n.name === 'relu6')!.op).to.equal('Relu6');
    const returned = fuseForTfjs(convChain({ biasIsOutput: true }));
    expect(returned.nodes.find((n) => n.name === 'conv/BiasAdd')!.op).to.equal('_FusedConv2D');
    expect(returned.nodes.find((n) => n.name === 'relu6')!.op).to.equal('Relu6');
  });
});
