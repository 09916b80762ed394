import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ArtifactRecord } from '@modelport/core';
import { runCli } from '../support/cli.js';
import { scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

/** A plugin under development: a package folder outside node_modules that writes the op list as text. */
function exporterFolder(folder: string, name: string, target: string) {
  return {
    [`${folder}/package.json`]: {
      name, version: '0.0.1', type: 'module', main: 'index.js',
      modelport: { type: 'exporter', provides: [target], core: '^0.1.0' },
    },
    [`${folder}/index.js`]: `
import { promises as fs } from 'node:fs';
import path from 'node:path';
export default {
  name: ${JSON.stringify(name)}, version: '0.0.1',
  apply(hooks) {
    hooks.writeArtifact.for(${JSON.stringify(target)}).tapPromise(${JSON.stringify(name)}, async (graph, ctx) => {
      await fs.writeFile(path.join(ctx.dir, 'ops.txt'), graph.nodes.map((n) => n.op).join('\\n'));
      return { target: ${JSON.stringify(target)}, format: 'text', plugin: ${JSON.stringify(name)}, path: 'ops.txt', files: ['ops.txt'] };
    });
  },
};
`,
  };
}

describe('plugins by path through the CLI', function () {
  this.timeout(120_000);
  let project: string;
  beforeEach(async () => {
    project = await scratchDir('by-path');
    await writeTree(project, { ...exporterFolder('dev/oplist-exporter', 'oplist-exporter', 'oplist'), 'work/.keep': '' });
  });
  afterEach(() => fs.rm(project, { recursive: true, force: true }));

  it('exports with --plugin ../folder given from another working directory', async () => {
    const r = await runCli(['export', EXAMPLE_MODEL, '--plugin', '../dev/oplist-exporter', '--to', 'oplist', '--out', 'models', '--json'], { cwd: path.join(project, 'work') });
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.artifacts.map((a: ArtifactRecord) => [a.target, a.plugin])).to.deep.equal([['oplist', 'oplist-exporter']]);
    expect(await fs.readFile(path.join(summary.dir, 'ops.txt'), 'utf8')).to.contain('Conv2D');
  });

  it('resolves a path in the config from the config file\'s folder, and lists it in plugins and explain', async () => {
    await writeTree(project, { 'dev/modelport.config.json': { presets: ['default'], plugins: ['./oplist-exporter'] } });
    const config = path.join(project, 'dev', 'modelport.config.json');
    const cwd = path.join(project, 'work');
    const exported = await runCli(['export', EXAMPLE_MODEL, '--config', config, '--to', 'oplist', '--out', 'models', '--json'], { cwd });
    expect(exported.code, exported.stderr).to.equal(0);

    const listed = await runCli(['plugins', '--config', config], { cwd });
    expect(listed.code, listed.stderr).to.equal(0);
    const row = listed.stdout.split('\n').find((line) => line.startsWith('oplist-exporter'));
    expect(row).to.contain('exporter').and.contain('oplist').and.contain(`by path "./oplist-exporter": ${path.join(project, 'dev', 'oplist-exporter')}`);

    const explained = await runCli(['explain', '--config', config], { cwd });
    expect(explained.code, explained.stderr).to.equal(0);
    expect(explained.stdout).to.contain(`found in ${path.join(project, 'dev', 'oplist-exporter')} (by path "./oplist-exporter")`);
  });

  it('uses a preset by path that extends default and names a plugin relative to the preset\'s folder', async () => {
    await writeTree(project, {
      'presets/team/package.json': { name: '@team/preset-dev', version: '0.0.1', modelport: { type: 'preset', core: '^0.1.0', preset: './preset.json' } },
      'presets/team/preset.json': { description: 'default, and the op list', extends: ['default'], plugins: ['../../dev/oplist-exporter'] },
    });
    const cwd = path.join(project, 'work');
    const exported = await runCli(['export', EXAMPLE_MODEL, '--preset', '../presets/team', '--to', 'tfjs,oplist', '--out', 'models', '--json'], { cwd });
    expect(exported.code, exported.stderr).to.equal(0);
    expect(JSON.parse(exported.stdout).artifacts.map((a: ArtifactRecord) => a.target)).to.deep.equal(['tfjs', 'oplist']);

    const explained = await runCli(['explain', '--preset', '../presets/team'], { cwd });
    expect(explained.code, explained.stderr).to.equal(0);
    expect(explained.stdout).to.contain('  oplist-exporter 0.0.1: from preset @team/preset-dev, named on the command line (--preset)\n');
    expect(explained.stdout).to.contain(`found in ${path.join(project, 'dev', 'oplist-exporter')} (by path "../../dev/oplist-exporter")`);
    expect(explained.stdout).to.contain('writeArtifact[oplist]: oplist-exporter');

    const listed = await runCli(['plugins', '--preset', '../presets/team'], { cwd });
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.match(/^oplist-exporter .* by path "\.\.\/\.\.\/dev\/oplist-exporter"/m);
  });

  it('says what a folder named by --plugin lacks, naming the path and the folder it was resolved from', async () => {
    await writeTree(project, { 'dev/not-a-plugin/package.json': { name: 'not-a-plugin', version: '1.0.0' } });
    const r = await runCli(['export', EXAMPLE_MODEL, '--plugin', '../dev/not-a-plugin', '--to', 'tfjs', '--out', 'models'], { cwd: path.join(project, 'work') });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`plugin path "../dev/not-a-plugin" (named in the command line (--plugin); relative to the working directory, ${path.join(project, 'work')})`);
    expect(r.stderr).to.contain(`${path.join(project, 'dev', 'not-a-plugin', 'package.json')} has no "modelport" field, so it is not a modelport plugin`);
  });

  it('refuses a package name that would climb out of node_modules', async () => {
    const r = await runCli(['export', EXAMPLE_MODEL, '--plugin', '@modelport/../../dev/oplist-exporter', '--to', 'oplist', '--out', 'models'], { cwd: project });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('"@modelport/../../dev/oplist-exporter" (named in the command line (--plugin)) is neither a plugin package name nor a path');
  });
});
