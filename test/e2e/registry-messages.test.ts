import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

describe('what plugins, presets and explain say about the installed packages', function () {
  this.timeout(120_000);
  let project: string;
  beforeEach(async () => { project = await scratchDir('registry-messages'); });
  afterEach(() => fs.rm(project, { recursive: true, force: true }));

  it('lists malformed manifests with their problem, and names the package and file once when one is used', async () => {
    await writeTree(project, {
      'node_modules/@acme/exporter-typo/package.json': { name: '@acme/exporter-typo', version: '1.0.0', modelport: { type: 'exproter', provides: ['x'], core: '^0.1.0' } },
      'node_modules/@acme/exporter-garbled/package.json': '{ "name": "@acme/exporter-garbled", "modelport": { "type": "exporter" }',
    });
    const listed = await runCli(['plugins'], { cwd: project });
    expect(listed.code, listed.stderr).to.equal(0);
    const typoFile = path.join(project, 'node_modules', '@acme', 'exporter-typo', 'package.json');
    expect(listed.stdout).to.match(/^@acme\/exporter-typo .* no: malformed manifest \(below\)/m);
    expect(listed.stdout).to.contain(`malformed manifests:\n`);
    expect(listed.stdout).to.contain(`  @acme/exporter-typo (${typoFile}): invalid "modelport" field: "type" must be one of "exporter"`);
    expect(listed.stdout).to.match(/ {2}@acme\/exporter-garbled \(.+\): package\.json is not valid JSON/);

    const explained = await runCli(['explain', '--plugin', '@acme/exporter-typo'], { cwd: project });
    expect(explained.code).to.equal(1);
    expect(explained.stderr.split('[plugin @acme/exporter-typo]')).to.have.length(2);
    expect(explained.stderr).to.contain(`[plugin @acme/exporter-typo] file "${typoFile}": invalid "modelport" field: "type" must be one of`);
    expect(explained.stderr).to.contain('(named in the command line (--plugin))');
  });

  it('says which config file set a bad plugin option, and which key a misspelt one means', async () => {
    await writeTree(project, { 'modelport.config.json': { presets: ['default'], plugins: [['exporter-tfjs', { shardSizeByte: 2048 }]] } });
    const config = path.join(project, 'modelport.config.json');
    const r = await runCli(['explain'], { cwd: project });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`[plugin @modelport/exporter-tfjs] file "${config}": invalid options: unknown option "shardSizeByte" (set in modelport.config.json (${config})); did you mean "shardSizeBytes"?`);
  });

  it('says which preset set a bad plugin option', async () => {
    await writeTree(project, {
      'node_modules/@acme/preset-small/package.json': { name: '@acme/preset-small', version: '1.0.0', modelport: { type: 'preset', core: '^0.1.0', preset: './preset.json' } },
      'node_modules/@acme/preset-small/preset.json': { extends: ['default'], plugins: [['exporter-tfjs', { shardSizeBytes: 12 }]] },
    });
    const presetFile = path.join(project, 'node_modules', '@acme', 'preset-small', 'preset.json');
    const r = await runCli(['explain', '--preset', '@acme/preset-small'], { cwd: project });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`[plugin @modelport/exporter-tfjs] file "${presetFile}": invalid options: "shardSizeBytes" must be >= 1024 (set in preset @acme/preset-small (${presetFile}))`);
  });

  it('names the installed but unselected package that provides a target, and how to enable it', async () => {
    await writeTree(project, {
      'node_modules/@acme/exporter-oplist/package.json': { name: '@acme/exporter-oplist', version: '1.0.0', type: 'module', main: 'index.js', modelport: { type: 'exporter', provides: ['oplist'], core: '^0.1.0' } },
      'node_modules/@acme/exporter-oplist/index.js': 'export default { name: "@acme/exporter-oplist", version: "1.0.0", apply() {} };\n',
    });
    const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'oplist', '--out', 'models'], { cwd: project });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('no plugin provides target "oplist"; @acme/exporter-oplist provides it')
      .and.contain('but is not selected; enable it with `--plugin @acme/exporter-oplist` or add it to "plugins" in modelport.config.json');
  });

  it('plugins --explain shows each plugin\'s options with where they were set, and the stage order of each hook', async () => {
    await writeTree(project, { 'modelport.config.json': { presets: ['default'], plugins: [['exporter-tfjs', { shardSizeBytes: 2048 }]] } });
    const r = await runCli(['plugins', '--explain'], { cwd: project });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^@modelport\/exporter-tfjs /m);
    expect(r.stdout).to.contain('  @modelport/exporter-tfjs 0.1.0: from preset @modelport/preset-default\n');
    expect(r.stdout).to.contain('    options: shardSizeBytes=2048 (config), directory="tfjs" (default)');
    expect(r.stdout).to.match(/ {2}transformGraph: @modelport\/core \[stage -100\] \(.+\), then @modelport\/passes \[stage 0\]/);
  });

  it('offers the key a misspelt config key means', async () => {
    await writeTree(project, { 'modelport.config.json': { preset: ['default'] } });
    const r = await runCli(['plugins'], { cwd: project });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`file "${path.join(project, 'modelport.config.json')}": invalid modelport.config.json: unknown option "preset"; did you mean "presets"?`);
  });
});
