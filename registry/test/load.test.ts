import { expect } from 'chai';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, definePlugin, OptionsError, type ArtifactRecord } from '@modelport/core';
import { formatExplanation, readConfig, Registry } from '@modelport/registry';
import { FixtureProject, rejection } from './fixtures.js';

const write = (registry: Registry, target: string) =>
  registry.hooks.writeArtifact.for(target).promise({} as never, {} as never) as Promise<(ArtifactRecord & { options?: unknown }) | undefined>;

describe('loading plugins', () => {
  let project: FixtureProject;
  let marker: string;
  before(async () => {
    project = await FixtureProject.create();
    marker = path.join(project.dir, 'bomb-was-imported');
    await project.addExporter('modelport-plugin-bespoke', 'bespoke');
    await project.addExporter('@acme/exporter-future', 'future', { core: '^9.0.0' });
    await project.addPackage({
      name: '@acme/exporter-bomb', modelport: { type: 'exporter', provides: ['bomb'], core: '^0.1.0' },
      index: `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');\nthrow new Error('this package must not be imported');\n`,
    });
    await project.addPackage({
      name: '@acme/exporter-factory', modelport: { type: 'exporter', provides: ['factory'], core: '^0.1.0' },
      index: `export default function exporterFactory(options) {
  return { name: '@acme/exporter-factory', version: '2.0.0', apply(hooks) {
    hooks.writeArtifact.for('factory').tapPromise('@acme/exporter-factory', async () => ({ target: 'factory', plugin: 'made by factory', options }));
  } };
}\n`,
    });
    await project.addPackage({
      name: '@acme/exporter-class', modelport: { type: 'exporter', provides: ['class'], core: '^0.1.0' },
      index: `export class ClassExporter {
  constructor(options) { this.name = '@acme/exporter-class'; this.version = '1.0.0'; this.options = options; }
  apply(hooks) { hooks.writeArtifact.for('class').tapPromise(this.name, async () => ({ target: 'class', plugin: this.name, options: this.options })); }
}
export { ClassExporter as default };\n`,
    });
    await project.addPackage({
      name: '@acme/exporter-schema', modelport: { type: 'exporter', provides: ['schema'], core: '^0.1.0', options: './options.schema.json' },
      index: (await import('./fixtures.js')).exporterSource('@acme/exporter-schema', 'schema'),
      files: { 'options.schema.json': JSON.stringify({ type: 'object', additionalProperties: false, properties: { level: { type: 'integer', minimum: 1, default: 3 } } }) },
    });
    await project.addPackage({ name: '@acme/exporter-empty', modelport: { type: 'exporter', provides: ['empty'], core: '^0.1.0' }, index: 'export const unrelated = 1;\n' });
  });
  after(() => project.remove());

  it('imports only the packages the config names, never the other installed ones', async () => {
    const registry = new Registry({ cwd: project.dir });
    expect((await registry.discover()).map((p) => p.name)).to.include('@acme/exporter-bomb');
    await registry.configure({ plugins: ['modelport-plugin-bespoke'] });
    expect(registry.host.plugins().map((p) => p.name)).to.deep.equal(['modelport-plugin-bespoke']);
    expect(await access(marker).then(() => true, () => false)).to.equal(false);
  });

  it('refuses a plugin built for another core before importing it, saying which versions fit', async () => {
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ plugins: ['@acme/exporter-future'] })) as ConfigError;
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.plugin).to.equal('@acme/exporter-future');
    expect(err.file).to.equal(path.join(project.packageDir('@acme/exporter-future'), 'package.json'));
    expect(err.message).to.match(/plugin @acme\/exporter-future needs core \^9\.0\.0 .*; installed core is 0\.1\.0; install a @acme\/exporter-future version whose core range includes 0\.1\.0/);
  });

  it('applies a bespoke exporter from a package and one registered in code, and explains both', async () => {
    const registry = new Registry({ cwd: project.dir });
    interface LabOptions { readonly quality: 'draft' | 'final' }
    await registry.register(definePlugin<LabOptions>({
      name: 'lab-exporter', version: '0.0.1',
      apply(hooks) { hooks.writeArtifact.for('lab').tapPromise('lab-exporter', async () => ({ target: 'lab', plugin: 'lab-exporter' } as ArtifactRecord)); },
    }), { quality: 'final' });
    await registry.configure({ plugins: [['modelport-plugin-bespoke', { quality: 'high' }]] });
    expect((await write(registry, 'bespoke'))!.options).to.deep.equal({ quality: 'high' });
    expect((await write(registry, 'lab'))!.plugin).to.equal('lab-exporter');
    const hooks = registry.explain().hooks.filter((h) => h.hook === 'writeArtifact');
    expect(hooks).to.deep.equal([
      { hook: 'writeArtifact', key: 'bespoke', plugins: ['modelport-plugin-bespoke'], chosen: 'modelport-plugin-bespoke', why: 'named in code config plugins' },
      { hook: 'writeArtifact', key: 'lab', plugins: ['lab-exporter'], chosen: 'lab-exporter', why: 'registered in code' },
    ]);
    const lines = formatExplanation(registry.explain());
    expect(lines).to.include('  writeArtifact[lab]: lab-exporter — registered in code');
    expect(lines).to.include('  modelport-plugin-bespoke 1.0.0: named in code config plugins');
  });

  it('takes a factory function or a class as the default export, giving it the options', async () => {
    const registry = new Registry({ cwd: project.dir });
    await registry.configure({ plugins: [['@acme/exporter-factory', { n: 1 }], ['@acme/exporter-class', { n: 2 }]] });
    expect(await write(registry, 'factory')).to.deep.equal({ target: 'factory', plugin: 'made by factory', options: { n: 1 } });
    expect((await write(registry, 'class'))!.options).to.deep.equal({ n: 2 });
  });

  it('validates options with the schema file the manifest names, filling defaults in', async () => {
    const registry = new Registry({ cwd: project.dir });
    await registry.configure({ plugins: ['@acme/exporter-schema'] });
    expect((await write(registry, 'schema'))!.options).to.deep.equal({ level: 3 });
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ plugins: [['@acme/exporter-schema', { level: 0, colour: 'red' }]] })) as OptionsError;
    expect(err).to.be.instanceOf(OptionsError);
    expect(err.plugin).to.equal('@acme/exporter-schema');
    const schema = path.join(project.packageDir('@acme/exporter-schema'), 'options.schema.json');
    expect(err.message).to.equal(`[plugin @acme/exporter-schema] invalid options: unknown option "colour" (set in code config); known options: level; "level" must be >= 1 (set in code config) (the options are described in ${schema})`);
  });

  it('says which config file set a bad option, and which key a misspelt one means', async () => {
    const file = await project.writeConfig({ presets: [], plugins: [['@acme/exporter-schema', { levl: 2 }]] });
    const err = await rejection(new Registry({ cwd: project.dir }).configure(await readConfig(file))) as OptionsError;
    expect(err.file).to.equal(file);
    expect(err.message).to.match(new RegExp(`^\\[plugin @acme/exporter-schema\\] file "${file}": invalid options: unknown option "levl" \\(set in modelport\\.config\\.json \\(${file}\\)\\); did you mean "level"\\? \\(the options are described in .*options\\.schema\\.json\\)$`));
  });

  it('explains each plugin\'s options and where each was set: schema default, preset or config', async () => {
    await project.addPackage({
      name: '@acme/exporter-three', modelport: { type: 'exporter', provides: ['three'], core: '^0.1.0', options: './options.schema.json' },
      index: (await import('./fixtures.js')).exporterSource('@acme/exporter-three', 'three'),
      files: { 'options.schema.json': JSON.stringify({ type: 'object', additionalProperties: false, properties: { a: { type: 'integer', default: 1 }, b: { type: 'integer' }, c: { type: 'integer' } } }) },
    });
    await project.addPreset('@acme/preset-three', { plugins: [['@acme/exporter-three', { b: 2, c: 2 }]] });
    const file = await project.writeConfig({ presets: ['@acme/preset-three'], plugins: [['@acme/exporter-three', { c: 3 }]] });
    const registry = new Registry({ cwd: project.dir });
    await registry.configure(await readConfig(file));
    const [three] = registry.explain().plugins;
    expect(three!.options).to.deep.equal({ a: 1, b: 2, c: 3 });
    expect(three!.optionSources).to.deep.equal({ a: 'default', b: 'preset', c: 'config' });
    expect(formatExplanation(registry.explain())).to.include('    options: b=2 (preset), c=3 (config), a=1 (default)');
  });

  it('names the plugin once when its factory throws an error that names it already', async () => {
    await project.addPackage({
      name: '@acme/exporter-picky', modelport: { type: 'exporter', provides: ['picky'], core: '^0.1.0' },
      index: `import { OptionsError } from '@modelport/core';
export default function picky() { throw new OptionsError('needs a licence key', { plugin: '@acme/exporter-picky' }); }\n`,
    });
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ presets: [], plugins: ['@acme/exporter-picky'] }));
    expect(err.message).to.equal('[plugin @acme/exporter-picky] needs a licence key');
  });

  it('says which preset set a bad option', async () => {
    const presetDir = await project.addPreset('@acme/preset-schema', { plugins: [['@acme/exporter-schema', { level: -1 }]] });
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ presets: ['@acme/preset-schema'] })) as OptionsError;
    const presetFile = path.join(presetDir, 'preset.json');
    expect(err.file).to.equal(presetFile);
    expect(err.message).to.contain(`"level" must be >= 1 (set in preset @acme/preset-schema (${presetFile}))`);
  });

  it('says what a module must export when it exports no plugin', async () => {
    const err = await rejection(new Registry({ cwd: project.dir }).configure({ plugins: ['@acme/exporter-empty'] })) as ConfigError;
    expect(err.plugin).to.equal('@acme/exporter-empty');
    expect(err.message).to.match(/must be a plugin \{ name, version, apply\(hooks, options, container\) \} or a function returning one/);
  });
});
