import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertValidGraph, compareTensors, concreteShape, defaultSignature, GraphExecutor, initBackend, loadTfjsGraphModel,
  parseTensorRef, pinInputShapes, randomTensor, seededRandom, type DType, type Graph,
} from '@modelport/core';
import { foldConstants, foldShapes, pruneDeadCode } from '@modelport/passes';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '.corpus', 'models');

const corpusGraph = (name: string) => loadTfjsGraphModel(path.join(CORPUS, `${name}.json`));

async function outputsOf(graph: Graph, seed: number) {
  const sig = defaultSignature(graph);
  const random = seededRandom(seed);
  const feeds = Object.fromEntries(Object.values(sig.inputs).map((t) => [parseTensorRef(t.name).node, randomTensor(t.dtype as DType, concreteShape(t.shape, 64), random)]));
  const exec = await GraphExecutor.create(graph);
  try { return await exec.run(feeds, Object.values(sig.outputs).map((t) => t.name)); } finally { exec.dispose(); }
}

describe('fold-shapes', function () {
  this.timeout(120_000);
  before(() => initBackend());

  it('with the batch pinned, turns facemesh-attention\'s Shape chains into constants and keeps outputs equal', async () => {
    const source = await corpusGraph('facemesh-attention');
    const pinned = pinInputShapes(source, { '': [1, 192, 192, 3] });
    let folded = 0;
    const shaped = await foldShapes(pinned, { onReport: (r) => { folded = r.folded; } });
    const result = pruneDeadCode(await foldConstants(shaped, { maxElements: 1 << 20, maxGrowth: 4 }));
    assertValidGraph(result);
    const shapeOps = (g: Graph) => g.nodes.filter((n) => n.op === 'Shape' || n.op === 'StridedSlice' || n.op === 'Pack' || n.op === 'Fill').length;
    expect(folded).to.equal(48);
    expect(source.nodes.length - result.nodes.length).to.be.greaterThan(300);
    expect(shapeOps(result)).to.be.lessThan(shapeOps(source) / 2);
    const [want, got] = [await outputsOf(source, 5), await outputsOf(result, 5)];
    want.forEach((w, i) => expect(compareTensors(String(i), got[i]!, w, 1e-5).ok).to.equal(true));
  });

  it('folds nothing that still depends on a dynamic dimension', async () => {
    const source = await corpusGraph('facemesh-attention'); // batch stays -1
    let report = { folded: -1, dynamic: -1, probes: 0 };
    await foldShapes(source, { onReport: (r) => { report = r; } });
    expect(report.probes).to.equal(2);
    expect(report.dynamic).to.be.greaterThan(0);
    const pinned = await foldShapes(pinInputShapes(source, { '': [1, 192, 192, 3] }), { onReport: (r) => { report = r; } });
    expect(report.dynamic).to.equal(0);
    expect(pinned.nodes.filter((n) => n.op === 'Shape')).to.have.length(0);
  });

  it('never folds shapes inside control flow (handtrack loops over TensorLists)', async () => {
    const source = await corpusGraph('handtrack');
    const pinned = pinInputShapes(source, { '': [1, 128, 128, 3] });
    const result = await foldShapes(pinned);
    const kept = result.nodes.filter((n) => n.op === 'Shape').length;
    expect(kept).to.be.greaterThan(0);
    const [want, got] = [await outputsOf(pinned, 9), await outputsOf(result, 9)];
    want.forEach((w, i) => expect(compareTensors(String(i), got[i]!, w, 1e-6).ok).to.equal(true));
  });
});
