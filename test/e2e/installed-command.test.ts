import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import type { ArtifactRecord } from '@modelport/core';
import type { CliResult } from '../support/cli.js';
import { packWorkspaces, servePackedRegistry, type PackedPackage } from '../support/packed-registry.js';
import { EXAMPLE_MODEL, REPO_ROOT } from '../support/paths.js';
import { NPM_FLAGS, shell } from '../support/shell.js';

// The user's side: `npm install @modelport/cli` into a project and `npm install -g` into a prefix,
// from packed tarballs served as a registry, then the command run from folders that know nothing
// of modelport. Third-party packages come from npm's cache.
describe('the installed modelport command, in a project and in a global prefix', function () {
  this.timeout(600_000);
  let root: string;
  let packed: PackedPackage[];
  let registry: { url: string; close(): Promise<void> };
  let project: string;
  let prefix: string;
  let elsewhere: string;
  let model: string;
  const presetNames = new Map<string, string[]>();

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-installed-'));
    const packDir = path.join(root, 'packed');
    project = path.join(root, 'project');
    prefix = path.join(root, 'prefix');
    elsewhere = path.join(root, 'elsewhere');
    await Promise.all([packDir, project, prefix, elsewhere].map((d) => fs.mkdir(d, { recursive: true })));
    for (const preset of ['preset-default', 'preset-serving']) {
      const file = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'plugins', preset, 'preset.json'), 'utf8')) as { plugins: (string | [string])[] };
      presetNames.set(`@modelport/${preset}`, file.plugins.map((p) => (typeof p === 'string' ? p : p[0])).map((n) => (n.startsWith('@') ? n : `@modelport/${n}`)));
    }
    packed = await packWorkspaces(packDir);
    registry = await servePackedRegistry(packDir, packed);
    // The user's model, in a folder of its own.
    model = path.join(elsewhere, 'tiny-cnn', 'model.json');
    await fs.cp(path.dirname(EXAMPLE_MODEL), path.dirname(model), { recursive: true });
    // A project denies onnxruntime-node's install script (its CUDA download) through allowScripts;
    // a global install has no package.json, so the variable the script reads says the same.
    await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({
      name: 'user-project', version: '1.0.0', private: true,
      allowScripts: { 'onnxruntime-node': false, protobufjs: false, 'core-js': false },
    }, null, 2));
    const scope = `--@modelport:registry=${registry.url}`;
    const installed = async (label: string, run: Promise<CliResult>) => {
      const r = await run;
      expect(r.code, `npm install (${label}): ${r.stderr}`).to.equal(0);
    };
    // npm 11.19 honours allowScripts denials (checked); an older npm may only report them, so the variable does it there (as .ci/run sets).
    const allowScripts = semver.gte((await shell('npm', ['--version'], root)).stdout.trim(), '11.19.0');
    const projectEnv = { ONNXRUNTIME_NODE_INSTALL: allowScripts ? undefined : 'skip' };
    await Promise.all([
      installed('project', shell('npm', ['install', '@modelport/cli', scope, ...NPM_FLAGS], project, projectEnv)),
      installed('global', shell('npm', ['install', '-g', '--prefix', prefix, '@modelport/cli', scope, ...NPM_FLAGS], root, { ONNXRUNTIME_NODE_INSTALL: 'skip' })),
    ]);
  });

  after(async () => {
    await registry?.close();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('packs every package with the compiled files its package.json points to', () => {
    for (const p of packed) {
      const files = new Set(p.files.map((f) => f.path));
      const m = p.manifest as { main?: string; bin?: Record<string, string>; modelport?: { preset?: string; options?: string } };
      const needed = [m.main, ...Object.values(m.bin ?? {}), m.modelport?.preset, m.modelport?.options].filter((f): f is string => !!f).map((f) => path.posix.normalize(f));
      if (p.name === '@modelport/cli') needed.push('dist/src/bin.js');
      for (const file of needed) expect(files.has(file), `${p.name} lacks ${file}`).to.equal(true);
      expect([...files].some((f) => f.startsWith('dist/test/')), `${p.name} ships its tests`).to.equal(false);
    }
  });

  it('makes the cli depend on its presets and every plugin they name, in ranges the packed versions satisfy', () => {
    const version = new Map(packed.map((p) => [p.name, p.version]));
    const cli = packed.find((p) => p.name === '@modelport/cli')!.manifest as { dependencies: Record<string, string> };
    for (const preset of ['@modelport/preset-default', '@modelport/preset-serving']) {
      const named = [preset, ...presetPlugins(preset)];
      for (const name of named) {
        expect(cli.dependencies[name], `@modelport/cli does not depend on ${name}`).to.be.a('string');
        expect(semver.satisfies(version.get(name)!, cli.dependencies[name]!), `${name} ${version.get(name)} is outside ${cli.dependencies[name]}`).to.equal(true);
      }
    }
  });

  for (const layout of ['global', 'project'] as const) {
    describe(`installed in a ${layout === 'global' ? 'global prefix (npm install -g)' : 'project (npm install)'}, run from another folder`, () => {
      const bin = () => (layout === 'global' ? path.join(prefix, 'bin', 'modelport') : path.join(project, 'node_modules', '.bin', 'modelport'));
      const installed = (name: string) => (layout === 'global'
        ? path.join(prefix, 'lib', 'node_modules', '@modelport', 'cli', 'node_modules', ...name.split('/'))
        : path.join(project, 'node_modules', ...name.split('/')));

      it('exports to tfjs, ONNX, TFLite and SavedModel, each artifact validated in its runtime', async () => {
        const out = path.join(elsewhere, `models-${layout}`);
        const r = await shell(bin(), ['export', model, '--to', 'tfjs,onnx,tflite,savedmodel', '--savedmodel-variables', '--out', out, '--json'], elsewhere);
        expect(r.code, r.stderr).to.equal(0);
        const summary = JSON.parse(r.stdout) as { dir: string; artifacts: (ArtifactRecord & { validation?: { ok: boolean } })[] };
        expect(summary.dir.startsWith(out)).to.equal(true);
        expect(summary.artifacts.map((a) => a.target)).to.deep.equal(['tfjs', 'onnx', 'tflite', 'savedmodel']);
        for (const a of summary.artifacts) {
          expect(a.validation?.ok, `${a.target} validation`).to.equal(true);
          for (const file of a.files ?? []) expect((await fs.stat(path.join(summary.dir, file))).size, file).to.be.greaterThan(0);
        }
        const manifest = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8')) as { plugins: { name: string }[] };
        expect(manifest.plugins.map((p) => p.name)).to.include.members(['@modelport/exporter-onnx', '@modelport/runtime-tflite', '@modelport/validation']);
      });

      it('inspects the model, and the SavedModel it exported (read with the installed package\'s message definitions)', async () => {
        const r = await shell(bin(), ['inspect', model], elsewhere);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.include('serving_default').and.include('image').and.include('Conv2D');
        const saved = path.join(elsewhere, `models-${layout}`, 'tiny-cnn', '1', 'saved_model.pb');
        const s = await shell(bin(), ['inspect', saved], elsewhere);
        expect(s.code, s.stderr).to.equal(0);
        expect(s.stdout).to.include('a TensorFlow SavedModel').and.include('serving_default').and.include('VarHandleOp');
      });

      it('lists the plugins it ships, found in its own installation', async () => {
        const r = await shell(bin(), ['plugins'], elsewhere);
        expect(r.code, r.stderr).to.equal(0);
        for (const name of presetPlugins('@modelport/preset-default')) {
          const row = r.stdout.split('\n').find((line) => line.startsWith(`${name} `));
          expect(row, `${name} is not listed`).to.be.a('string');
          expect(row).to.include(`bundled with modelport: ${installed(name)}`).and.match(/\byes\b/);
        }
      });

      it('explains who answers each hook, and where each plugin was found', async () => {
        const r = await shell(bin(), ['explain'], elsewhere);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.match(/writeArtifact\[onnx\]: @modelport\/exporter-onnx/).and.match(/serve\[tflite\]: @modelport\/runtime-tflite/);
        expect(r.stdout).to.include(`found in ${installed('@modelport/exporter-tflite')} (bundled with modelport)`);
      });
    });
  }

  it('runs with npx in the project without npm warnings, listing the plugins as the project\'s', async () => {
    const r = await shell('npx', ['--no', 'modelport', 'plugins'], project);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.not.match(/npm warn/i);
    expect(r.stdout).to.include(`project: ${path.join('node_modules', '@modelport', 'exporter-onnx')}`);
  });

  it('finds a plugin of the user\'s folder beside the ones it ships, the user\'s copy first', async () => {
    const folder = path.join(root, 'user-with-plugin');
    const pkg = path.join(folder, 'node_modules', '@modelport', 'exporter-onnx');
    await fs.mkdir(pkg, { recursive: true });
    await fs.writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: '@modelport/exporter-onnx', version: '9.0.0', modelport: { type: 'exporter', provides: ['onnx'], core: '^9.0.0' } }));
    const r = await shell(path.join(prefix, 'bin', 'modelport'), ['plugins'], folder);
    expect(r.code, r.stderr).to.equal(0);
    const row = r.stdout.split('\n').find((line) => line.startsWith('@modelport/exporter-onnx '))!;
    expect(row).to.include('9.0.0').and.include('no: plugin @modelport/exporter-onnx needs core ^9.0.0').and.include(`project: ${path.join('node_modules', '@modelport', 'exporter-onnx')}`);
    expect(r.stdout).to.include(`@modelport/exporter-onnx 9.0.0 hides 0.1.0 in ${path.join(prefix, 'lib', 'node_modules', '@modelport', 'cli', 'node_modules', '@modelport', 'exporter-onnx')} (bundled with modelport)`);
  });

  /** The plugins a workspace preset names, as package names (short names normalised as the registry does). */
  function presetPlugins(preset: string): string[] {
    return presetNames.get(preset) ?? [];
  }
});

describe('a modelport command that ships no plugins, run from a folder without any', function () {
  this.timeout(60_000);
  let root: string;
  let bin: string;
  before(async () => {
    // The built command with a package.json that declares no dependencies: nothing is bundled.
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-bare-'));
    const cli = path.join(root, 'cli');
    await fs.cp(path.join(REPO_ROOT, 'cli', 'dist', 'src'), path.join(cli, 'dist', 'src'), { recursive: true });
    await fs.cp(path.join(REPO_ROOT, 'cli', 'bin'), path.join(cli, 'bin'), { recursive: true });
    await fs.writeFile(path.join(cli, 'package.json'), JSON.stringify({ name: '@modelport/cli', version: '0.1.0', type: 'module' }));
    // Its own imports (core, registry) still resolve, through the workspace's node_modules.
    await fs.symlink(path.join(REPO_ROOT, 'node_modules'), path.join(cli, 'node_modules'), 'dir');
    await fs.mkdir(path.join(root, 'elsewhere'));
    bin = path.join(cli, 'bin', 'modelport.js');
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  it('says that no plugin was found and where it looked, and exits 1 instead of printing an empty table', async () => {
    const r = await shell(process.execPath, [bin, 'plugins'], path.join(root, 'elsewhere'));
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr.trim()).to.equal(`error: no modelport plugins found; searched node_modules of ${path.join(root, 'elsewhere')} and their parent folders, `
      + `then the dependencies of ${path.join(root, 'cli')} (bundled with modelport). Install @modelport/cli again, or install plugins in the project`);
  });
});
