import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { listTree, scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

/** A plugin package of `type` whose index.js is `body` (a default-exported plugin object). */
function pluginPackage(name: string, type: 'pass' | 'exporter', provides: string[], body: string) {
  return {
    [`node_modules/${name}/package.json`]: { name, version: '1.0.0', type: 'module', main: 'index.js', modelport: { type, provides, core: '^0.1.0' } },
    [`node_modules/${name}/index.js`]: body,
  };
}

// Drops the first node another node reads: its reader is left with a dangling input.
const DROPPING_PASS = `
export default {
  name: '@acme/modelport-pass-drop', version: '1.0.0',
  apply(hooks) {
    hooks.transformGraph.tapPromise('@acme/modelport-pass-drop', async (graph) => {
      const read = new Set(graph.nodes.flatMap((n) => n.inputs.map((r) => r.split(':')[0])));
      const victim = graph.nodes.find((n) => n.op !== 'Placeholder' && n.op !== 'Const' && read.has(n.name));
      return { ...graph, nodes: graph.nodes.filter((n) => n !== victim) };
    });
  },
};
`;

// Writes its model file but lists a weights file it never wrote.
const BOASTING_EXPORTER = `
import { promises as fs } from 'node:fs';
import path from 'node:path';
export default {
  name: '@acme/modelport-exporter-ghost', version: '1.0.0',
  apply(hooks) {
    hooks.writeArtifact.for('ghost').tapPromise('@acme/modelport-exporter-ghost', async (graph, ctx) => {
      await fs.mkdir(path.join(ctx.dir, 'ghost'), { recursive: true });
      await fs.writeFile(path.join(ctx.dir, 'ghost', 'model.txt'), graph.nodes.map((n) => n.op).join('\\n'));
      return { target: 'ghost', format: 'ghost', plugin: '@acme/modelport-exporter-ghost', path: 'ghost/model.txt', files: ['ghost/model.txt', 'ghost/weights.bin'] };
    });
  },
};
`;

describe('CLI: blame for a broken graph or a false artifact record', function () {
  this.timeout(120_000);
  let project: string;
  beforeEach(async () => { project = await scratchDir('blame'); });
  afterEach(() => fs.rm(project, { recursive: true, force: true }));

  it('names the pass that left a dangling reference, not the default passes next to it, and publishes nothing', async () => {
    await writeTree(project, {
      ...pluginPackage('@acme/modelport-pass-drop', 'pass', [], DROPPING_PASS),
      'modelport.config.json': { presets: ['default'], plugins: ['@acme/modelport-pass-drop'] },
    });
    const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs', '--out', 'models'], { cwd: project });
    expect(r.code, r.stderr).to.equal(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^error: \[plugin @acme\/modelport-pass-drop\] transformGraph: node "[^"]+" \([A-Za-z0-9_]+\): returned an invalid graph: input "[^"]+" names no node$/);
    expect(await listTree(path.join(project, 'models'))).to.deep.equal([]);
  });

  it('names the exporter, the target and the file its record lists but it never wrote, and publishes nothing', async () => {
    await writeTree(project, {
      ...pluginPackage('@acme/modelport-exporter-ghost', 'exporter', ['ghost'], BOASTING_EXPORTER),
      'modelport.config.json': { presets: ['default'], plugins: ['@acme/modelport-exporter-ghost'] },
    });
    const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'ghost', '--out', 'models'], { cwd: project });
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr.trim()).to.equal('error: [plugin @acme/modelport-exporter-ghost] writeArtifact[ghost]: file "ghost/weights.bin": its ArtifactRecord lists 1 file(s) '
      + 'that are not in the version folder: "ghost/weights.bin"; write them under the folder given as context.dir, or leave them out of the record (nothing was published)');
    expect(await listTree(path.join(project, 'models'))).to.deep.equal([]);
  });
});
