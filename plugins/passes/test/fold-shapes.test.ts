import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertValidGraph, compareTensors, concreteShape, defaultSignature, GraphExecutor, initBackend, loadTfjsGraphModel,
  parseTensorRef, pinInputShapes, randomTensor, seededRandom, type DType, type Graph,
} from '@modelport/core';
import { foldConstants, foldShapes, pruneDeadCode, type FoldShapesReport } from '@modelport/passes';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '.corpus', 'models');

const corpusGraph = (name: string) => loadTfjsGraphModel(path.join(CORPUS, `${name}.json`));

async function outputsOf(graph: Graph, seed: number, size = 64) {
  const sig = defaultSignature(graph);
  const random = seededRandom(seed);
  const feeds = Object.fromEntries(Object.values(sig.inputs).map((t) => [parseTensorRef(t.name).node, randomTensor(t.dtype as DType, concreteShape(t.shape, size), random)]));
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
    let report: FoldShapesReport = { folded: -1, dynamic: -1, unknown: -1 };
    await foldShapes(source, { onReport: (r) => { report = r; } });
    expect(report.folded).to.equal(0);
    expect(report.dynamic).to.be.greaterThan(0);
    expect(report.unknown).to.equal(0);
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

  // faceboxes' anchor generator sizes a feature map from the input: 1 at 64 and 96 but 2 at 256.
  // Folding it as a constant (as two probe runs once suggested) broke the model at 160, 256 and 320.
  it('keeps faceboxes\' input-sized shapes dynamic, so it still runs at 256×256 and 160×160 as the source does', async () => {
    const source = await corpusGraph('faceboxes');
    let report: FoldShapesReport = { folded: -1, dynamic: -1, unknown: -1 };
    const folded = await foldShapes(source, { onReport: (r) => { report = r; } });
    const result = pruneDeadCode(await foldConstants(folded, { maxElements: 1 << 20, maxGrowth: 4 }));
    assertValidGraph(result);
    expect(report.dynamic).to.be.greaterThan(0);
    for (const size of [256, 160]) {
      const [want, got] = [await outputsOf(source, 3, size), await outputsOf(result, 3, size)];
      want.forEach((w, i) => expect(compareTensors(`output ${i} at ${size}`, got[i]!, w, 1e-5).ok, `output ${i} at ${size}`).to.equal(true));
    }
  });

  it('folds faceboxes\' anchor shapes once its input is pinned, and matches the source at that size', async () => {
    const source = await corpusGraph('faceboxes');
    const pinned = pinInputShapes(source, { '': [1, 256, 256, 3] });
    let report: FoldShapesReport = { folded: -1, dynamic: -1, unknown: -1 };
    const result = pruneDeadCode(await foldConstants(await foldShapes(pinned, { onReport: (r) => { report = r; } }), { maxElements: 1 << 20, maxGrowth: 4 }));
    expect(report.folded).to.be.greaterThan(0);
    const [want, got] = [await outputsOf(source, 4, 256), await outputsOf(result, 4, 256)];
    want.forEach((w, i) => expect(compareTensors(String(i), got[i]!, w, 1e-5).ok).to.equal(true));
  });
});
