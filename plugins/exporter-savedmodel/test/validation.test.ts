import { expect } from 'chai';
import { compareTensors, GraphExecutor, relativeDiff, type Graph, type TensorData } from '@modelport/core';
import { readSavedModel } from '@modelport/savedmodel';
import { runtimeSavedModel } from '@modelport/runtime-savedmodel';
import { runPipeline } from '@modelport/testing';
import { exporterSavedModel } from '../src/index.js';
import { corpusFile } from './support/corpus.js';
import { signatureFeeds } from './support/signature-feeds.js';

async function run(graph: Graph, key: string, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const exec = await GraphExecutor.create(graph);
  try { return await exec.runSignature(graph.signatures[key]!, feeds); } finally { exec.dispose(); }
}

/**
 * Corpus models through the whole export pipeline with validation on: the SavedModel runtime
 * (readSavedModel, then tfjs) runs each artifact against the source; the files read back match
 * the source within 1e-5 of max|ref| here too.
 */
describe('exporter-savedmodel: exports validated by the SavedModel runtime', () => {
  const cases: [model: string, variables: boolean, shows: string][] = [
    ['blazeface', false, 'fused conv and depthwise, frozen'],
    ['facemesh', true, 'Prelu, with variables'],
    ['handtrack', true, 'TF1 loops, TensorList and NMS, with variables'],
  ];
  for (const [model, variables, shows] of cases) {
    it(`${model} (${shows}) passes validation and reads back equal to the source`, async () => {
      const exported = await runPipeline({
        fixture: corpusFile(model), plugins: [exporterSavedModel, runtimeSavedModel], targets: ['savedmodel'],
        options: { targetOptions: { savedmodel: { variables } } },
      });
      const validation = exported.artifact('savedmodel').validation!;
      expect(validation, 'validated').to.not.equal(undefined);
      expect(validation.ok, JSON.stringify(validation.outputs)).to.equal(true);
      expect(validation.runtime).to.equal('savedmodel');
      const back = await readSavedModel(exported.file('savedmodel'));
      expect(back.weights).to.equal(variables ? 'variables' : 'frozen');
      const key = Object.keys(exported.graph.signatures)[0]!;
      const feeds = signatureFeeds(model, exported.graph.signatures[key]!, 64, 5);
      const [want, got] = [await run(exported.graph, key, feeds), await run(back.graph, key, feeds)];
      let worst = 0;
      for (const [name, w] of Object.entries(want)) {
        const c = compareTensors(name, got[name]!, w, 1e-5);
        expect(c.ok, `${name}: ${c.problem}`).to.equal(true);
        worst = Math.max(worst, relativeDiff(c));
      }
      console.log(`      ${model}: validation worst ${validation.worstRelativeDiff.toExponential(2)}, read back worst ${worst.toExponential(2)}`);
    });
  }
});
