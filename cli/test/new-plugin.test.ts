import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SCAFFOLD_TYPES, scaffoldNames } from '../src/commands/new-plugin-names.js';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = path.join(REPO, 'cli', 'dist', 'src', 'bin.js');
const BINS = path.join(REPO, 'node_modules', '.bin');

/** `modelport …` in `cwd`; never rejects. */
async function modelport(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('modelport new-plugin', function () {
  this.timeout(300_000);
  let scratch: string;
  before(async () => {
    // Inside the repository, so the packages resolve @modelport/* and the tools from its node_modules.
    await fs.mkdir(path.join(REPO, '.tmp'), { recursive: true });
    scratch = await fs.mkdtemp(path.join(REPO, '.tmp', 'new-plugin-'));
  });
  after(() => fs.rm(scratch, { recursive: true, force: true }));

  it('writes a package of every type that builds and passes its own test as written', async () => {
    const dirs: string[] = [];
    for (const type of SCAFFOLD_TYPES) {
      const r = await modelport(['new-plugin', type, `acme-${type}`], scratch);
      expect(r.code, r.stderr).to.equal(0);
      const dir = path.join(scratch, `acme-${type}`);
      expect(r.stdout).to.include(`wrote ${type} acme-${type} in ${dir}`).and.include(`next: cd acme-${type} && npm install && npm run build && npm test`);
      dirs.push(dir);
    }
    // One tsc and one mocha for all of them: each package alone costs the same start-up again.
    await run(path.join(BINS, 'tsc'), ['-b', ...dirs]).catch((e: { stdout: string }) => { throw new Error(`a scaffold does not build: ${e.stdout}`); });
    // --no-config: the repository's own .mocharc.json lies above these folders.
    const { stdout } = await run(path.join(BINS, 'mocha'), ['--no-config', '--timeout', '120000', '--reporter', 'json', ...dirs.map((d) => path.join(d, 'dist', 'test', '*.test.js'))], { maxBuffer: 16 * 1024 * 1024 })
      .catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const report = JSON.parse(stdout) as { passes: { file: string }[]; failures: { file: string; fullTitle: string; err: { message: string } }[]; pending: unknown[] };
    expect(report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`)).to.deep.equal([]);
    expect(report.pending).to.deep.equal([]);
    for (const dir of dirs) expect(report.passes.filter((p) => p.file.startsWith(dir)).length, dir).to.be.greaterThan(1);
  });

  it('states its type, what it provides, its core range and its options in the manifest, and skipLibCheck with why', async () => {
    const r = await modelport(['new-plugin', 'exporter', '@acme/modelport-exporter-summary', '--dir', 'summary'], scratch);
    expect(r.code, r.stderr).to.equal(0);
    const dir = path.join(scratch, 'summary');
    const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).to.equal('@acme/modelport-exporter-summary');
    expect(pkg.modelport).to.deep.equal({ type: 'exporter', provides: ['summary'], core: '^0.1.0', options: './options.schema.json' });
    expect(pkg.peerDependencies).to.deep.equal({ '@modelport/core': '^0.1.0' });
    expect(pkg.devDependencies).to.include.keys('@modelport/testing', 'typescript', 'mocha');
    expect(await fs.readFile(path.join(dir, 'src', 'index.ts'), 'utf8')).to.include("export const TARGET = 'summary';").and.include('definePlugin<ExporterSummaryOptions>');
    const tsconfig = await fs.readFile(path.join(dir, 'tsconfig.json'), 'utf8');
    expect(tsconfig).to.include('"skipLibCheck": true').and.include("@tensorflow/tfjs's own .d.ts files");
    expect(await fs.readFile(path.join(dir, 'README.md'), 'utf8')).to.include('--to tfjs,summary --plugin ./summary');
  });

  it('writes a module as an export module: provides its name, takes its options per export, and says how to use it', async () => {
    const r = await modelport(['new-plugin', 'module', 'acme-brighten-module', '--dir', 'brighten'], scratch);
    expect(r.code, r.stderr).to.equal(0);
    const dir = path.join(scratch, 'brighten');
    const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.modelport).to.deep.equal({ type: 'module', provides: ['acme-brighten'], core: '^0.1.0' });
    const source = await fs.readFile(path.join(dir, 'src', 'index.ts'), 'utf8');
    expect(source).to.include("export const MODULE = 'acme-brighten';").and.include("kind: 'input'").and.include('exportModulePlugin(');
    expect(r.stdout).to.include('--plugin ./brighten --signature scaled=acme-brighten --module-options options.json');
  });

  it('refuses an unknown type, naming the close one and every type', async () => {
    const r = await modelport(['new-plugin', 'exproter', 'x'], scratch);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('error: unknown plugin type "exproter" in `modelport new-plugin exproter` (did you mean exporter?); '
      + 'choose one of exporter, pass, quantizer, runtime, adapter, module, preset');
  });

  it('refuses a name npm would not publish, saying why and suggesting one', async () => {
    const r = await modelport(['new-plugin', 'pass', 'My Pass'], scratch);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('error: "My Pass" is not a valid npm package name for `modelport new-plugin pass`: '
      + 'name can only contain URL-friendly characters; name can no longer contain capital letters; choose a name like my-pass');
    expect(await fs.readdir(scratch)).to.not.include('My Pass');
  });

  it('refuses a folder that is not empty and leaves it as it was, but writes into an empty one', async () => {
    const taken = path.join(scratch, 'taken');
    await fs.mkdir(taken);
    await fs.writeFile(path.join(taken, 'notes.txt'), 'mine');
    const r = await modelport(['new-plugin', 'exporter', 'my-exporter', '--dir', 'taken'], scratch);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal(`error: modelport new-plugin exporter my-exporter --dir taken: ${taken} already exists and is not empty (notes.txt); `
      + 'choose another --dir or name, or empty that folder');
    expect(await fs.readdir(taken)).to.deep.equal(['notes.txt']);
    await fs.mkdir(path.join(scratch, 'empty'));
    expect((await modelport(['new-plugin', 'module', 'my-module', '--dir', 'empty'], scratch)).code).to.equal(0);
    expect(await fs.readdir(path.join(scratch, 'empty'))).to.include.members(['package.json', 'src', 'test']);
    expect((await fs.readdir(scratch)).filter((f) => f.includes('.tmp-'))).to.deep.equal([]);
  });

  it('derives the provided key and the identifiers from the package name', () => {
    expect(scaffoldNames('exporter', 'my-exporter')).to.include({ key: 'my', identifier: 'myExporter', optionsType: 'MyExporterOptions', baseName: 'my-exporter' });
    expect(scaffoldNames('runtime', '@acme/modelport-runtime-fast.lite')).to.include({ key: 'fast-lite', identifier: 'runtimeFastLite', baseName: 'modelport-runtime-fast.lite' });
    expect(scaffoldNames('pass', 'pass')).to.include({ key: 'pass', identifier: 'pass' });
    expect(scaffoldNames('adapter', '3d-boxes')).to.include({ key: '3d-boxes', identifier: 'plugin3dBoxes' });
    expect(scaffoldNames('pass', 'delete')).to.include({ key: 'delete', identifier: 'deletePlugin', optionsType: 'DeletePluginOptions' });
    expect(scaffoldNames('exporter', '@acme/path')).to.include({ key: 'path', identifier: 'pathPlugin' });
    expect(() => scaffoldNames('exporter', 'path')).to.throw('"path" is not a valid npm package name for `modelport new-plugin exporter`: path is a core module name; choose a name like path-exporter');
  });
});
