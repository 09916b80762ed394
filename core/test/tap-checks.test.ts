import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createContainer, definePlugin, GraphError, PluginError, type Graph, type Plugin } from '@modelport/core';
import { smallConvNet } from '@modelport/core/testing';

const noteWriter = definePlugin({
  name: 'note-writer', version: '1.0.0',
  apply(hooks) {
    hooks.writeArtifact.for('note').tapPromise('note-writer', async (graph, ctx) => {
      await fs.writeFile(path.join(ctx.dir, 'note.txt'), `${graph.nodes.length} nodes`);
      return { target: 'note', format: 'note', plugin: 'note-writer', path: 'note.txt', files: ['note.txt'] };
    });
  },
});

function pass(name: string, fn: (graph: Graph) => unknown, hook: 'transformGraph' | 'quantize' = 'transformGraph'): Plugin<any> {
  return definePlugin({ name, version: '1.0.0', apply(hooks) { hooks[hook].tapPromise(name, async (graph) => fn(graph) as Graph); } });
}

/** Drops node "pool": its consumer "conv2" is left with a dangling input. */
const dropPool = (graph: Graph): Graph => ({ ...graph, nodes: graph.nodes.filter((n) => n.name !== 'pool') });
const identity = (graph: Graph): Graph => ({ ...graph });

async function exportWith(plugins: Plugin<any>[], quantize?: 'float16'): Promise<{ error: unknown; versions: string[] }> {
  const { host, pipeline } = coreServices(createContainer());
  for (const p of [...plugins, noteWriter]) await host.apply(p);
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-tap-checks-'));
  try {
    const error = await pipeline.run({ source: { format: 'graph', name: 'small', graph: smallConvNet() }, options: { targets: ['note'], out, validate: false, ...(quantize ? { quantize } : {}) } })
      .then(() => undefined, (e: unknown) => e);
    const versions = await fs.readdir(path.join(out, 'small')).catch(() => []);
    return { error, versions };
  } finally {
    await fs.rm(out, { recursive: true, force: true });
  }
}

describe('checks of the graph each transformGraph and quantize tap returns', () => {
  it('blames the pass that left a dangling reference, not the pass after it, and publishes nothing', async () => {
    const { error, versions } = await exportWith([pass('breaking-pass', dropPool), pass('innocent-pass', identity)]);
    expect(error).to.be.instanceOf(PluginError);
    const e = error as PluginError;
    expect(e.plugin).to.equal('breaking-pass');
    expect(e.hook).to.equal('transformGraph');
    expect(e.node).to.equal('conv2');
    expect(e.message).to.equal('[plugin breaking-pass] transformGraph: node "conv2" (_FusedConv2D): returned an invalid graph: input "pool:0" names no node');
    expect(e.cause).to.be.instanceOf(GraphError);
    expect(versions).to.deep.equal([]);
  });

  it('blames the pass when it runs last', async () => {
    const { error } = await exportWith([pass('innocent-pass', identity), pass('breaking-pass', dropPool)]);
    expect((error as PluginError).plugin).to.equal('breaking-pass');
    expect((error as Error).message).to.match(/^\[plugin breaking-pass\] transformGraph: node "conv2"/);
  });

  it('says a pass returned undefined and that it must return the graph', async () => {
    const { error } = await exportWith([pass('forgetful-pass', () => undefined)]);
    expect((error as Error).message).to.equal('[plugin forgetful-pass] transformGraph: returned undefined; a pass must return the graph (the one it received when it changes nothing)');
  });

  it('says what a pass returned when it is not a graph', async () => {
    const { error } = await exportWith([pass('nodes-only-pass', (g) => g.nodes)]);
    expect((error as Error).message).to.equal('[plugin nodes-only-pass] transformGraph: returned an array; a pass must return the graph (the one it received when it changes nothing)');
    const cloned = await exportWith([pass('json-clone-pass', (g) => JSON.parse(JSON.stringify(g)))]);
    expect((cloned.error as Error).message).to.equal('[plugin json-clone-pass] transformGraph: returned an object that is not a graph (constants is not a Map); '
      + 'a pass must return the graph (the one it received when it changes nothing)');
  });

  it('lists every problem with its node when there are several', async () => {
    const dropTwo = (g: Graph): Graph => ({ ...g, nodes: g.nodes.filter((n) => n.name !== 'pool' && n.name !== 'mean') });
    const { error } = await exportWith([pass('greedy-pass', dropTwo)]);
    expect((error as Error).message).to.equal('[plugin greedy-pass] transformGraph: returned an invalid graph, 2 problems: '
      + '"conv2" (_FusedConv2D): input "pool:0" names no node; "fc" (_FusedMatMul): input "mean:0" names no node');
  });

  it('blames the quantizer that broke the graph, on the quantize hook', async () => {
    const { error } = await exportWith([pass('breaking-quantizer', dropPool, 'quantize')], 'float16');
    expect((error as PluginError).plugin).to.equal('breaking-quantizer');
    expect((error as Error).message).to.match(/^\[plugin breaking-quantizer\] quantize: node "conv2" \(_FusedConv2D\): returned an invalid graph/);
  });

  it('passes a valid graph on and exports it', async () => {
    const { error, versions } = await exportWith([pass('innocent-pass', identity)]);
    expect(error).to.equal(undefined);
    expect(versions).to.deep.equal(['1']);
  });
});
