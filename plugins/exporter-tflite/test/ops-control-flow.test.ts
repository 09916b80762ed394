import { expect } from 'chai';
import { initBackend, pinInputShapes, type TensorData } from '@modelport/core';
import { accumulatingLoopGraph, condGraph, mapFnGraph, tensorListMapGraph } from '@modelport/core/testing';
import { describeFailures, exportAndCompare, inputsFor } from './run-both.js';

const scalar = (v: number): TensorData => ({ dtype: 'float32', shape: [], data: Float32Array.of(v) });

async function expectMatch(...args: Parameters<typeof exportAndCompare>): Promise<readonly string[]> {
  const { comparisons, ops } = await exportAndCompare(...args);
  expect(comparisons.every((c) => c.ok), describeFailures(comparisons)).to.equal(true);
  return ops;
}

describe('exporter-tflite: v1 control flow as WHILE / IF in LiteRT.js', () => {
  before(() => initBackend());

  it('carries loop state through a WHILE: acc += x · i for i < 5', async () => {
    const ops = await expectMatch(accumulatingLoopGraph());
    expect(ops).to.include('WHILE');
  });

  it('writes a TensorArray one row per iteration (map_fn) into a buffer with DYNAMIC_UPDATE_SLICE', async () => {
    const graph = pinInputShapes(mapFnGraph(), { x: [4, 3] });
    const ops = await expectMatch(graph);
    expect(ops).to.include.members(['WHILE', 'DYNAMIC_UPDATE_SLICE', 'GATHER']);
  });

  it('reads and sets TensorList items (TF2 map_fn) in a WHILE', async () => {
    const ops = await expectMatch(tensorListMapGraph());
    expect(ops).to.include.members(['WHILE', 'DYNAMIC_UPDATE_SLICE']);
  });

  for (const s of [2, -2]) {
    it(`turns a cond (Switch/Merge) into an IF; predicate ${s > 0 ? 'true' : 'false'}`, async () => {
      const graph = condGraph(true);
      const ops = await expectMatch(graph, {}, 1e-4, { ...inputsFor(graph), s: scalar(s) });
      expect(ops).to.include('IF');
    });
  }
});
