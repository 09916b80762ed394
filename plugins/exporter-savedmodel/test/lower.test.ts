import { expect } from 'chai';
import { compareTensors, GraphExecutor, loadTfjsGraphModel, relativeDiff, UnsupportedOpsError, type Graph } from '@modelport/core';
import { assertTensorFlowCanLoad } from '../src/check-loadable.js';
import { graphDefOf } from '../src/graph-def.js';
import { lowerToTensorFlow } from '../src/lower/index.js';
import { TF_OPS } from '../src/op-registry.js';
import { corpusFile, corpusModels, randomFeeds } from './support/corpus.js';

/** Runs both graphs in tfjs on the same seeded inputs; the largest max|Δ|/max|ref| over the outputs. */
async function worstDiff(source: Graph, lowered: Graph): Promise<number> {
  const feeds = randomFeeds(source);
  const a = await GraphExecutor.create(source);
  const b = await GraphExecutor.create(lowered);
  try {
    const want = await a.run(feeds);
    const got = await b.run(feeds);
    let worst = 0;
    want.forEach((w, i) => {
      const c = compareTensors(source.outputs[i]!, got[i]!, w, 1e-5);
      expect(c.ok, `${source.outputs[i]}: ${c.problem}`).to.equal(true);
      worst = Math.max(worst, relativeDiff(c));
    });
    return worst;
  } finally { a.dispose(); b.dispose(); }
}

const opsOf = (g: Graph) => new Set(g.nodes.map((n) => n.op));

describe('lowering to TensorFlow\'s public ops', () => {
  it('every corpus model lowers with no refusal, to registered ops only, and passes assertTensorFlowCanLoad', async () => {
    const models = corpusModels();
    const seen = new Set<string>();
    for (const name of models) {
      const lowered = lowerToTensorFlow(await loadTfjsGraphModel(corpusFile(name)));
      for (const op of opsOf(lowered)) { expect(TF_OPS.has(op), `${name}: ${op}`).to.equal(true); seen.add(op); }
      assertTensorFlowCanLoad(graphDefOf(lowered));
    }
    console.log(`      ${models.length} models, ${seen.size} TensorFlow ops`);
    expect(models.length).to.equal(41);
    for (const gone of ['_FusedConv2D', 'FusedDepthwiseConv2dNative', '_FusedMatMul', 'Prelu']) expect(seen.has(gone), gone).to.equal(false);
  });

  const cases: [model: string, shows: string, ops: string[]][] = [
    ['blazeface', 'fused Conv2D + BiasAdd + Relu, fused depthwise', ['Conv2D', 'BiasAdd', 'Relu', 'DepthwiseConv2dNative']],
    ['facemesh', 'fused Conv2D with Prelu, as Relu(x) − alpha·Relu(−x)', ['Conv2D', 'BiasAdd', 'Neg', 'Sub']],
    ['faceres', 'fused MatMul + BiasAdd (+ Relu)', ['MatMul', 'BiasAdd']],
    ['blazepose-detector', 'fused depthwise + BiasAdd + Relu6', ['DepthwiseConv2dNative', 'Relu6']],
    ['handtrack', 'version-1 control flow kept (Enter/Exit/Switch/Merge/NextIteration/LoopCond, TensorList)', ['Enter', 'LoopCond', 'NextIteration']],
  ];
  for (const [model, shows, ops] of cases) {
    it(`${model}: ${shows}: runs in tfjs equal to the source`, async () => {
      const source = await loadTfjsGraphModel(corpusFile(model));
      const lowered = lowerToTensorFlow(source);
      for (const op of ops) expect(opsOf(lowered).has(op), op).to.equal(true);
      const worst = await worstDiff(source, lowered);
      console.log(`      ${model}: ${source.nodes.length} → ${lowered.nodes.length} nodes, worst relative diff ${worst.toExponential(2)}`);
    });
  }

  it('refuses, in one error, every node whose op TensorFlow does not have', async () => {
    const source = await loadTfjsGraphModel(corpusFile('blazeface'));
    const nodes = source.nodes.map((n, i) => (i === 5 ? { ...n, op: 'MadeUpOp' } : i === 9 ? { ...n, op: 'OtherOp' } : n));
    expect(() => lowerToTensorFlow({ ...source, nodes })).to.throw(UnsupportedOpsError, /2 node\(s\) use ops that TensorFlow SavedModel cannot express: .*\(MadeUpOp\).*\(OtherOp\)/);
    const fused = source.nodes.map((n) => (n.op === '_FusedConv2D' ? { ...n, attrs: { ...n.attrs, fused_ops: { list: { s: ['BiasAdd', 'Add'] } } } } : n));
    expect(() => lowerToTensorFlow({ ...source, nodes: fused })).to.throw(UnsupportedOpsError, /fused_ops \[BiasAdd, Add\]/);
  });
});
