import { expect } from 'chai';
import type { Predictor } from '@modelport/core';
import { expectPredictorMatchesSource, randomInputs, runPipeline, runSource, serveArtifact, tinyDenseGraph } from '@modelport/testing';

describe('serveArtifact and expectPredictorMatchesSource', function () {
  this.timeout(120_000);

  it('serves an exported artifact through the serve hook, and it answers as the source graph does', async () => {
    const graph = tinyDenseGraph();
    const run = await runPipeline({ graph, targets: ['tfjs'] });
    const predictor = await serveArtifact({ format: 'tfjs', path: run.file('tfjs') });
    try {
      const [y] = await expectPredictorMatchesSource(predictor, graph);
      expect(y).to.include({ output: 'y', ok: true });
      const inputs = randomInputs(graph, 'serving_default', 7);
      expect(Array.from((await predictor.predict(inputs)).y!.data as Float32Array))
        .to.deep.equal(Array.from((await runSource(graph, inputs)).y!.data as Float32Array));
    } finally {
      await predictor.dispose();
    }
  });

  it('names the output that differs from the source', async () => {
    const graph = tinyDenseGraph();
    const run = await runPipeline({ graph, targets: ['tfjs'] });
    const served = await serveArtifact({ format: 'tfjs', path: run.file('tfjs') });
    const offByOne: Predictor = {
      ...served,
      async predict(inputs, signature) {
        const y = (await served.predict(inputs, signature)).y!;
        return { y: { ...y, data: Float32Array.from(y.data as Float32Array, (v) => v + 1) } };
      },
    };
    let error: unknown;
    try { await expectPredictorMatchesSource(offByOne, graph); } catch (e) { error = e; } finally { await served.dispose(); }
    expect(String(error)).to.match(/the tfjs artifact differs from its source: output "y": max \|Δ\| 1\.000e\+0 exceeds 0\.0001/);
  });

  it('says which format no plugin serves', async () => {
    let error: unknown;
    try { await serveArtifact({ format: 'my-format', path: '/nowhere/model.bin' }); } catch (e) { error = e; }
    expect(String(error)).to.include('no plugin answered serve for format "my-format" (/nowhere/model.bin); pass the runtime that serves it in plugins');
  });
});
