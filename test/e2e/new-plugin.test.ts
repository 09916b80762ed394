import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliResult } from '../support/cli.js';
import { packWorkspaces, servePackedRegistry } from '../support/packed-registry.js';
import { EXAMPLE_MODEL, REPO_ROOT } from '../support/paths.js';
import { NPM_FLAGS, shell } from '../support/shell.js';

// What a new plugin author does, from an empty folder: install modelport and its test kit, scaffold
// an exporter, run its test, use it by path, put it in a preset that extends default, look at it
// with plugins and explain; then scaffold a pass, break it, and see the error blame it.
// docs/writing-a-plugin.md walks through the same steps.
describe('a plugin written from an empty folder with modelport new-plugin', function () {
  this.timeout(600_000);
  let root: string;
  let project: string;
  let registry: { url: string; close(): Promise<void> };
  let scope: string;
  // onnxruntime-node's install script downloads CUDA libraries: never in a test.
  const env = { ONNXRUNTIME_NODE_INSTALL: 'skip' };
  const modelport = (args: string[]): Promise<CliResult> => shell(path.join(project, 'node_modules', '.bin', 'modelport'), args, project);
  const npm = (args: string[], cwd: string) => shell('npm', [...args, scope, ...NPM_FLAGS], cwd, env);
  const ok = (r: CliResult, what: string) => expect(r.code, `${what}:\n${r.stdout}\n${r.stderr}`).to.equal(0);

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-new-plugin-'));
    const packDir = path.join(root, 'packed');
    project = path.join(root, 'project');
    await Promise.all([packDir, project].map((d) => fs.mkdir(d, { recursive: true })));
    const packed = await packWorkspaces(packDir);
    registry = await servePackedRegistry(packDir, packed);
    scope = `--@modelport:registry=${registry.url}`;
    // The project holds modelport, the test kit and the tools a plugin builds and tests with; the
    // plugins written inside it use them from its node_modules, so one install serves every case.
    const tools = (JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
    const pick = (names: string[]) => Object.fromEntries(names.map((n) => [n, tools[n]!]));
    await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({
      name: 'author-project', version: '1.0.0', private: true,
      dependencies: { '@modelport/cli': '^0.1.0' },
      devDependencies: { '@modelport/testing': '^0.1.0', ...pick(['typescript', 'mocha', 'chai', '@types/chai', '@types/mocha', '@types/node']) },
    }, null, 2));
    await fs.cp(path.dirname(EXAMPLE_MODEL), path.join(project, 'tiny-cnn'), { recursive: true });
    ok(await npm(['install'], project), 'npm install in the project');
  });

  after(async () => {
    await registry?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('scaffolds an exporter and a pass that build, and the exporter passes its generated test', async () => {
    const exporter = await modelport(['new-plugin', 'exporter', 'my-exporter']);
    ok(exporter, 'new-plugin exporter');
    expect(exporter.stdout).to.include('next: cd my-exporter && npm install && npm run build && npm test');
    ok(await modelport(['new-plugin', 'pass', 'my-pass']), 'new-plugin pass');
    const builds = await Promise.all(['my-exporter', 'my-pass'].map((dir) => shell('npm', ['run', 'build'], path.join(project, dir))));
    builds.forEach((r, i) => ok(r, `npm run build in ${['my-exporter', 'my-pass'][i]}`));
    const tested = await shell('npm', ['test'], path.join(project, 'my-exporter'));
    ok(tested, 'npm test in my-exporter');
    expect(tested.stdout).to.match(/4 passing/).and.not.match(/failing/);
  });

  it('exports with the exporter named by path on the command line, next to the default targets', async () => {
    const r = await modelport(['export', 'tiny-cnn/model.json', '--to', 'tfjs,my', '--plugin', './my-exporter', '--out', 'models', '--json']);
    ok(r, 'export --plugin ./my-exporter');
    const summary = JSON.parse(r.stdout) as { dir: string; artifacts: { target: string; plugin: string; files: string[] }[] };
    expect(summary.artifacts.map((a) => [a.target, a.plugin])).to.deep.equal([['tfjs', '@modelport/exporter-tfjs'], ['my', 'my-exporter']]);
    const written = JSON.parse(await fs.readFile(path.join(summary.dir, 'my', 'summary.json'), 'utf8')) as { ops: Record<string, number> };
    expect(written.ops).to.have.property('Conv2D');
    const manifest = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8')) as { plugins: { name: string }[]; targets: { target: string }[] };
    expect(manifest.plugins.map((p) => p.name)).to.include('my-exporter');
  });

  it('exports through a preset that extends default and names the exporter by path, shown by plugins and explain', async () => {
    ok(await modelport(['new-plugin', 'preset', 'my-preset']), 'new-plugin preset');
    const presetFile = path.join(project, 'my-preset', 'preset.json');
    const preset = JSON.parse(await fs.readFile(presetFile, 'utf8')) as { extends: string[]; plugins: unknown[] };
    expect(preset.extends).to.deep.equal(['default']);
    // A path in a preset is resolved from the preset's package folder.
    await fs.writeFile(presetFile, JSON.stringify({ ...preset, plugins: [['../my-exporter', { pretty: true }]] }, null, 2));
    await fs.writeFile(path.join(project, 'modelport.config.json'), JSON.stringify({ presets: ['./my-preset'] }, null, 2));

    const r = await modelport(['export', 'tiny-cnn/model.json', '--to', 'onnx,my', '--out', 'models', '--json']);
    ok(r, 'export through my-preset');
    const summary = JSON.parse(r.stdout) as { dir: string; artifacts: { target: string; validation?: { ok: boolean } }[] };
    expect(summary.artifacts.map((a) => a.target)).to.deep.equal(['onnx', 'my']);
    expect(summary.artifacts[0]!.validation?.ok, 'onnx from the default preset, validated').to.equal(true);
    expect(await fs.readFile(path.join(summary.dir, 'my', 'summary.json'), 'utf8')).to.match(/^{\n {2}"ops"/);

    const plugins = await modelport(['plugins']);
    ok(plugins, 'plugins');
    const row = plugins.stdout.split('\n').find((line) => line.startsWith('my-exporter '));
    expect(row, plugins.stdout).to.be.a('string');
    expect(row).to.include('exporter').and.include(' my ').and.include('by path "../my-exporter"').and.include('my-exporter');

    const explained = await modelport(['explain']);
    ok(explained, 'explain');
    expect(explained.stdout).to.match(/writeArtifact\[my\]: my-exporter/);
    expect(explained.stdout).to.include(`found in ${path.join(project, 'my-exporter')} (by path "../my-exporter")\n    options: pretty=true (preset)`);
    await fs.rm(path.join(project, 'modelport.config.json'));
  });

  it('blames the pass by name when the graph it returns is broken', async () => {
    const source = path.join(project, 'my-pass', 'src', 'index.ts');
    const text = await fs.readFile(source, 'utf8');
    const call = '(graph) => removePassThrough(graph, new Set(options.ops))';
    expect(text).to.include(call);
    // The mistake: the last node now reads a tensor no node makes.
    const broken = '(graph) => ({ ...graph, nodes: graph.nodes.map((n, i) => (i === graph.nodes.length - 1 ? { ...n, inputs: [\'nowhere:0\'] } : n)) })';
    await fs.writeFile(source, text.replace(call, broken));
    ok(await shell('npm', ['run', 'build'], path.join(project, 'my-pass')), 'npm run build of the broken pass');

    const r = await modelport(['export', 'tiny-cnn/model.json', '--to', 'tfjs', '--plugin', './my-pass', '--out', 'models']);
    expect(r.code).to.equal(1);
    const message = r.stderr.trim();
    expect(message).to.match(/^error: \[plugin my-pass\] transformGraph: /);
    expect(message).to.include('"nowhere:0"').and.not.include('@modelport/passes');
  });
});
