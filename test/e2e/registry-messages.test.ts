import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { scratchDir, writeTree } from '../support/fixtures.js';

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
});
