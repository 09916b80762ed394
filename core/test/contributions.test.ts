import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  contribute, contributionPoints, contributionsTo, coreServices, createContainer, defineContributionPoint, definePlugin,
} from '@modelport/core';
import { smallConvNet } from '@modelport/core/testing';

interface Greeting { readonly word: string }
const GREETINGS = defineContributionPoint<Greeting>('test.greetings', 'words a greeter says');

describe('contribution points', () => {
  it('lists contributions in the order plugins were applied, each credited to its plugin', async () => {
    const container = createContainer();
    const { host } = coreServices(container);
    for (const word of ['hello', 'bonjour']) {
      await host.apply(definePlugin({ name: `greeter-${word}`, version: '1.0.0', apply(_hooks, _options, c) { contribute(c, GREETINGS, { word }); } }));
    }
    expect(contributionsTo(container, GREETINGS).map((c) => [c.plugin, c.value.word])).to.deep.equal([['greeter-hello', 'hello'], ['greeter-bonjour', 'bonjour']]);
    expect(contributionPoints(container).map((p) => [p.point.name, p.plugins])).to.deep.equal([['test.greetings', ['greeter-hello', 'greeter-bonjour']]]);
  });

  it('is empty for a point nobody contributed to, and per container', async () => {
    const one = createContainer();
    contribute(one, GREETINGS, { word: 'hi' }, 'host code');
    expect(contributionsTo(createContainer(), GREETINGS)).to.deep.equal([]);
    expect(contributionsTo(one, GREETINGS)[0]!.plugin).to.equal('host code');
  });
});

describe('ExportPipeline with an in-memory graph', () => {
  it('exports a graph given as the source without any importer', async () => {
    const container = createContainer();
    const { host, pipeline } = coreServices(container);
    await host.apply(definePlugin({
      name: 'ops-lister', version: '1.0.0',
      apply(hooks) {
        hooks.writeArtifact.for('ops').tapPromise('ops-lister', async (graph, ctx) => {
          await fs.writeFile(path.join(ctx.dir, 'ops.txt'), graph.nodes.map((n) => n.op).join('\n'));
          return { target: 'ops', format: 'ops', plugin: 'ops-lister', path: 'ops.txt', files: ['ops.txt'] };
        });
      },
    }));
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-graph-source-'));
    try {
      const graph = smallConvNet();
      const summary = await pipeline.run({ source: { format: 'graph', name: 'small', graph }, options: { targets: ['ops'], out, validate: false } });
      const written = await fs.readFile(path.join(summary.dir, 'ops.txt'), 'utf8');
      expect(written.split('\n')).to.deep.equal(graph.nodes.map((n) => n.op));
      expect((summary.manifest.source as { format: string }).format).to.equal('graph');
    } finally {
      await fs.rm(out, { recursive: true, force: true });
    }
  });
});
