import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { coreServices, createContainer, definePlugin, type ArtifactRecord } from '@modelport/core';
import { Registry } from '@modelport/registry';
import { runCli } from '../support/cli.js';
import { scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

/** A plugin package that writes the graph's op list as a text artifact: a whole small exporter. */
function exporterPackage(name: string, target: string, core = '^0.1.0') {
  return {
    [`node_modules/${name}/package.json`]: {
      name, version: '1.2.3', type: 'module', main: 'index.js',
      modelport: { type: 'exporter', provides: [target], core, options: './options.schema.json' },
    },
    [`node_modules/${name}/options.schema.json`]: { type: 'object', additionalProperties: false, properties: { header: { type: 'string', default: '# ops' } } },
    [`node_modules/${name}/index.js`]: `
import { promises as fs } from 'node:fs';
import path from 'node:path';
const NAME = ${JSON.stringify(name)};
export default {
  name: NAME, version: '1.2.3',
  apply(hooks, options) {
    hooks.writeArtifact.for(${JSON.stringify(target)}).tapPromise(NAME, async (graph, ctx) => {
      const file = ${JSON.stringify(`${target}.txt`)};
      await fs.writeFile(path.join(ctx.dir, file), [options.header, ...graph.nodes.map((n) => n.op)].join('\\n'));
      return { target: ${JSON.stringify(target)}, format: 'text', plugin: NAME, path: file, files: [file] };
    });
  },
};
`,
  };
}

describe('plugins and presets through the CLI', function () {
  this.timeout(60_000);
  let project: string;
  beforeEach(async () => { project = await scratchDir('project'); });
  afterEach(() => fs.rm(project, { recursive: true, force: true }));

  it('discovers a bespoke exporter package named in modelport.config.json and exports with it', async () => {
    await writeTree(project, {
      ...exporterPackage('@acme/modelport-exporter-oplist', 'oplist'),
      'modelport.config.json': { presets: ['default'], plugins: [['@acme/modelport-exporter-oplist', { header: '# ops of the model' }]] },
    });
    const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs,oplist', '--out', 'models', '--json'], { cwd: project });
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.artifacts.map((a: ArtifactRecord) => a.target)).to.deep.equal(['tfjs', 'oplist']);
    const text = await fs.readFile(path.join(summary.dir, 'oplist.txt'), 'utf8');
    expect(text.split('\n')[0]).to.equal('# ops of the model');
    expect(text).to.contain('Conv2D');
    expect(summary.notes.join('\n')).to.match(/oplist: not validated: no runtime plugin serves "text"/);
    const manifest = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8'));
    expect(manifest.plugins.map((p: { name: string }) => p.name)).to.include('@acme/modelport-exporter-oplist');
  });

  it('refuses a plugin whose core range does not fit, saying which versions it needs', async () => {
    await writeTree(project, {
      ...exporterPackage('@acme/modelport-exporter-future', 'future', '^9.0.0'),
      'modelport.config.json': { presets: ['default'], plugins: ['@acme/modelport-exporter-future'] },
    });
    const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'future', '--out', 'models'], { cwd: project });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/@acme\/modelport-exporter-future/).and.match(/\^9\.0\.0/).and.match(/0\.1\.0/);
    expect(await fs.readdir(project)).to.not.include('models');
  });

  it('refuses two plugins claiming one target until the config chooses one', async () => {
    await writeTree(project, {
      ...exporterPackage('@acme/modelport-exporter-tfjs-lite', 'tfjs'),
      'modelport.config.json': { presets: ['default'], plugins: ['@acme/modelport-exporter-tfjs-lite'] },
    });
    const refused = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs', '--out', 'models'], { cwd: project });
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.match(/@modelport\/exporter-tfjs/).and.match(/@acme\/modelport-exporter-tfjs-lite/).and.match(/choose/);

    await writeTree(project, {
      'modelport.config.json': {
        presets: ['default'], plugins: ['@acme/modelport-exporter-tfjs-lite'],
        choose: { writeArtifact: { tfjs: '@acme/modelport-exporter-tfjs-lite' } },
      },
    });
    const chosen = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs', '--out', 'models', '--json', '--no-validate'], { cwd: project });
    expect(chosen.code, chosen.stderr).to.equal(0);
    expect(JSON.parse(chosen.stdout).artifacts[0].plugin).to.equal('@acme/modelport-exporter-tfjs-lite');
    const explain = await runCli(['explain'], { cwd: project });
    expect(explain.stdout).to.match(/writeArtifact\[tfjs\]: @acme\/modelport-exporter-tfjs-lite/);
  });

  it('applies a preset that extends the default preset, its options winning', async () => {
    await writeTree(project, {
      ...exporterPackage('@acme/modelport-exporter-oplist', 'oplist'),
      'node_modules/@acme/modelport-preset-team/package.json': {
        name: '@acme/modelport-preset-team', version: '2.0.0', modelport: { type: 'preset', core: '^0.1.0', preset: './preset.json' },
      },
      'node_modules/@acme/modelport-preset-team/preset.json': {
        extends: ['default'],
        plugins: [['@acme/modelport-exporter-oplist', { header: '# team'}], ['exporter-tfjs', { shardSizeBytes: 4096 }]],
      },
      'modelport.config.json': { presets: ['@acme/modelport-preset-team'] },
    });
    const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs,oplist', '--out', 'models', '--json'], { cwd: project });
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout);
    expect((await fs.readFile(path.join(summary.dir, 'oplist.txt'), 'utf8')).startsWith('# team')).to.equal(true);
    const tfjs = summary.artifacts.find((a: ArtifactRecord) => a.target === 'tfjs');
    expect(tfjs.files.length).to.be.greaterThan(2); // 6.6 KB of weights in 4 KB shards
  });

  it('takes an exporter registered in code, next to the discovered ones', async () => {
    const container = createContainer();
    const registry = new Registry({ cwd: project, container });
    const seen: string[] = [];
    await registry.register(definePlugin({
      name: 'research-exporter', version: '0.0.1',
      apply(hooks) {
        hooks.writeArtifact.for('research').tapPromise('research-exporter', async (graph, ctx) => {
          seen.push(...graph.nodes.map((n) => n.op));
          await fs.writeFile(path.join(ctx.dir, 'research.json'), JSON.stringify(graph.inputs));
          return { target: 'research', format: 'research', plugin: 'research-exporter', path: 'research.json', files: ['research.json'] };
        });
      },
    }));
    await registry.configure({ presets: ['default'] });
    const { pipeline } = coreServices(container);
    const summary = await pipeline.run({ source: { format: 'tfjs', path: EXAMPLE_MODEL }, options: { targets: ['research', 'tfjs'], out: path.join(project, 'models'), validate: true } });
    expect(seen).to.include('DepthwiseConv2dNative');
    expect(summary.artifacts.map((a) => a.target)).to.deep.equal(['research', 'tfjs']);
    expect(summary.artifacts[1]!.validation!.ok).to.equal(true);
    const explained = registry.explain();
    expect(JSON.stringify(explained)).to.match(/research-exporter/).and.match(/registered in code/);
  });
});
