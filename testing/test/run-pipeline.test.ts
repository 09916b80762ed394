import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePlugin, type Graph } from '@modelport/core';
import exporterTfjs from '@modelport/exporter-tfjs';
import { ArtifactMismatchError, expectArtifactMatchesSource, runPipeline, tinyDenseGraph } from '@modelport/testing';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'tiny-cnn');

/** Writes the op names of the graph it receives, one a line: a format with no runtime. */
const opsLister = definePlugin({
  name: 'ops-lister', version: '1.0.0',
  apply(hooks) {
    hooks.writeArtifact.for('ops').tapPromise('ops-lister', async (graph, ctx) => {
      await fs.writeFile(path.join(ctx.dir, 'ops.txt'), graph.nodes.map((n) => n.op).join('\n'));
      return { target: 'ops', format: 'ops', plugin: 'ops-lister', path: 'ops.txt', files: ['ops.txt'] };
    });
  },
});

/** Renames the output node "y" to "activation". */
const renameOutput = definePlugin({
  name: 'rename-output', version: '1.0.0',
  apply(hooks) {
    hooks.transformGraph.tap('rename-output', (graph: Graph) => ({
      ...graph,
      nodes: graph.nodes.map((n) => (n.name === 'y' ? { ...n, name: 'activation' } : n)),
      outputs: ['activation:0'],
      signatures: { serving_default: { ...graph.signatures.serving_default!, outputs: { y: { ...graph.signatures.serving_default!.outputs.y!, name: 'activation:0' } } } },
    }));
  },
});

describe('runPipeline', function () {
  this.timeout(120_000);

  it('exports a GraphBuilder graph with the plugins given, and the artifact runs in its runtime like the source', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [exporterTfjs], targets: ['tfjs'] });
    expect(run.artifact('tfjs').files).to.include('tfjs/model.json');
    await fs.access(run.file('tfjs'));
    const report = expectArtifactMatchesSource(run, 'tfjs');
    expect(report.ok).to.equal(true);
    expect(report.runtime).to.be.a('string');
    expect(report.outputs.map((o) => o.output)).to.deep.equal(['y']);
  });

  it('exports a fixture folder (model.json) through the tfjs importer', async () => {
    const run = await runPipeline({ fixture: EXAMPLE, plugins: [exporterTfjs, opsLister], targets: ['tfjs', 'ops'] });
    expect(run.summary.artifacts.map((a) => a.target)).to.deep.equal(['tfjs', 'ops']);
    expect((await run.read('ops.txt')).split('\n')).to.include('Conv2D');
    expect(expectArtifactMatchesSource(run, 'tfjs').ok).to.equal(true);
  });

  it('gives the exporters the graph the passes returned, and returns that graph', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [renameOutput, opsLister], targets: ['ops'] });
    expect(run.graph.nodes.map((n) => n.name)).to.include('activation').and.not.include('y');
    expect(run.graph.outputs).to.deep.equal(['activation:0']);
  });

  it('applies a plugin with its options, checked against its schema', async () => {
    const withSchema = definePlugin<{ file: string }>({
      name: 'named-file', version: '1.0.0',
      optionsSchema: { type: 'object', additionalProperties: false, properties: { file: { type: 'string', default: 'a.txt' } } },
      apply(hooks, options) {
        hooks.writeArtifact.for('named').tapPromise('named-file', async (_graph, ctx) => {
          await fs.writeFile(path.join(ctx.dir, options.file), 'x');
          return { target: 'named', format: 'named', plugin: 'named-file', path: options.file, files: [options.file] };
        });
      },
    });
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [[withSchema, { file: 'b.txt' }]], targets: ['named'] });
    expect(run.artifact('named').path).to.equal('b.txt');
    let error: unknown;
    try { await runPipeline({ graph: tinyDenseGraph(), plugins: [[withSchema, { fiel: 'b.txt' }]], targets: ['named'] }); } catch (e) { error = e; }
    expect(String(error)).to.include('named-file').and.include('fiel');
  });

  it('applies installed presets found from cwd instead of its own plugins, next to the plugin under test', async () => {
    const run = await runPipeline({ fixture: EXAMPLE, plugins: [opsLister], presets: ['default'], cwd: path.dirname(EXAMPLE), targets: ['onnx', 'ops'] });
    expect(run.summary.artifacts.map((a) => [a.target, a.plugin])).to.deep.equal([['onnx', '@modelport/exporter-onnx'], ['ops', 'ops-lister']]);
    expect(expectArtifactMatchesSource(run, 'onnx').runtime).to.match(/onnx/i);
    // The default preset's passes ran before the exporters saw the graph.
    expect((run.summary.manifest.plugins as { name: string }[]).map((p) => p.name)).to.include('@modelport/passes');
  });

  it('says which artifact was not checked in a runtime, and why', async () => {
    const run = await runPipeline({ graph: tinyDenseGraph(), plugins: [opsLister], targets: ['ops'] });
    expect(() => expectArtifactMatchesSource(run, 'ops')).to.throw(ArtifactMismatchError, /^artifact "ops": not validated: .*apply a runtime plugin for format "ops"/);
    expect(() => run.artifact('onnx')).to.throw('no artifact for target "onnx"; the export wrote ops');
  });

  it('refuses a run given two of a graph, a fixture and a source, or none', async () => {
    const source = { format: 'tfjs', path: EXAMPLE };
    for (const options of [{ graph: tinyDenseGraph(), fixture: EXAMPLE, targets: ['ops'] }, { fixture: EXAMPLE, source, targets: ['ops'] }, { targets: ['ops'] }]) {
      let error: unknown;
      try { await runPipeline(options); } catch (e) { error = e; }
      expect(String(error)).to.include('runPipeline: give one of `graph`, `fixture` or `source`');
    }
  });
});
