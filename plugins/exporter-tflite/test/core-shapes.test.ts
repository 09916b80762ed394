import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import {
  attrValue as a, defaultSignature, dims, GraphBuilder, initBackend, loadTfjsGraphModel, ModelportError, pinInputShapes, SHAPE_RULES, silentLogger,
  tensorRef, type Graph, type ShapeRule,
} from '@modelport/core';
import { graphFacts, shapeSources } from '../src/graph-facts.js';
import { CORPUS_DIR } from './corpus-models.js';
import { describeFailures, exportAndCompare } from './run-both.js';

const int32 = a.dtype('int32');

/** x [-1, 4, 6] (batch pinned to 1) → Shape → StridedSlice (the batch) → Pack [batch, -1] → Reshape → Relu. */
function flattenGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 4, 6]);
  b.node('shape', { op: 'Shape', inputs: [x], attrs: { out_type: int32 } });
  b.constant('b', 'int32', [1], [0]); b.constant('e', 'int32', [1], [1]); b.constant('s', 'int32', [1], [1]);
  b.node('batch', { op: 'StridedSlice', inputs: ['shape:0', 'b:0', 'e:0', 's:0'], attrs: { T: int32, begin_mask: a.int(0), end_mask: a.int(0), ellipsis_mask: a.int(0), new_axis_mask: a.int(0), shrink_axis_mask: a.int(1) } });
  b.constant('minus1', 'int32', [], [-1]);
  b.node('target', { op: 'Pack', inputs: ['batch:0', 'minus1:0'], attrs: { N: a.int(2), axis: a.int(0), T: int32 } });
  b.node('flat', { op: 'Reshape', inputs: [x, 'target:0'], attrs: { T: a.dtype('float32') } });
  b.node('relu', { op: 'Relu', inputs: ['flat:0'], attrs: { T: a.dtype('float32') } });
  return b.outputs(tensorRef('relu')).build();
}

/** x [6] → Where(x > 0) [k, 1], and the Shape of that: a vector of 2 whatever k is. */
function whereGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [6]);
  b.constant('zero', 'float32', [], [0]);
  b.node('positive', { op: 'Greater', inputs: [x, 'zero:0'], attrs: { T: a.dtype('float32') } });
  b.node('where', { op: 'Where', inputs: ['positive:0'], attrs: { T: a.dtype('bool') } });
  b.node('count', { op: 'Shape', inputs: ['where:0'], attrs: { out_type: int32 } });
  return b.outputs(tensorRef('where'), tensorRef('count')).build();
}

describe('exporter-tflite: tensor facts from core shape inference', () => {
  before(() => initBackend());

  it('proves every shape of a Shape → StridedSlice → Pack → Reshape chain at the pinned size, and folds it', async () => {
    const graph = flattenGraph();
    const learnt = await graphFacts(graph, graph.outputs, silentLogger);
    expect(learnt.facts.get('flat:0')).to.include({ proven: true }).and.deep.include({ shape: [1, 24] });
    expect(learnt.facts.get('relu:0')?.proven).to.equal(true);
    expect(Array.from(learnt.facts.get('batch:0')!.value as Int32Array)).to.deep.equal([1]);
    expect(shapeSources(learnt)).to.deep.equal({ inference: 5, probe: 0 });
    const { comparisons, ops } = await exportAndCompare(graph);
    expect(comparisons.every((c) => c.ok), describeFailures(comparisons)).to.equal(true);
    expect(ops).to.deep.equal(['RESHAPE', 'RELU']);
  });

  it('takes the shape of a computed tensor from the rule table, not from a tfjs run', async () => {
    // A Relu rule that claims [2, 12]: the exporter's fact follows it (a wrong rule would show in the model).
    const rules: Record<string, ShapeRule> = { ...SHAPE_RULES, Relu: () => [{ dtype: 'float32', shape: dims(2, 12) }] };
    const graph = flattenGraph();
    const learnt = await graphFacts(graph, graph.outputs, silentLogger, rules);
    expect(learnt.facts.get('relu:0')?.shape).to.deep.equal([2, 12]);
  });

  it('stops with an internal error naming the node when core and the tfjs run disagree on a shape', async () => {
    const rules: Record<string, ShapeRule> = { ...SHAPE_RULES, Pack: () => [{ dtype: 'int32', shape: dims(3) }] };
    const graph = flattenGraph();
    const err = await graphFacts(graph, graph.outputs, silentLogger, rules).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ModelportError);
    expect((err as Error).message).to.match(/node "target" \(Pack\).*proves output 0 is \[3\] but tfjs computed \[2\]/);
  });

  it('marks a Where-sized tensor dynamic, and not the Shape read from it', async () => {
    const graph = whereGraph();
    const learnt = await graphFacts(graph, graph.outputs, silentLogger);
    expect(learnt.dependence.dynamic.has('where')).to.equal(true);
    expect(learnt.facts.get('where:0')).to.include({ dynamic: true }).and.not.have.property('proven');
    // The Shape of [k, 1] is a vector of 2 for every k: proven static, but its value is data.
    expect(learnt.dependence.dynamic.has('count')).to.equal(false);
    expect(learnt.dependence.foldable.has('count')).to.equal(false);
    expect(learnt.facts.get('count:0')).to.deep.include({ shape: [2], proven: true }).and.not.have.property('value');
  });

  it('takes every shape of movenet-multipose (no control flow, nothing sized by data) from inference', async function () {
    const file = path.join(CORPUS_DIR, 'movenet-multipose.json');
    if (!existsSync(file)) this.skip(); // npm run corpus
    const graph = pinInputShapes(await loadTfjsGraphModel(file), { input: [1, 256, 256, 3] });
    const learnt = await graphFacts(graph, Object.values(defaultSignature(graph).outputs).map((t) => t.name), silentLogger);
    const sources = shapeSources(learnt);
    expect(sources.probe).to.equal(0);
    expect(sources.inference).to.be.greaterThan(100);
  });
});
