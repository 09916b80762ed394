import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ArtifactRecord } from '@modelport/core';
import { runCli } from '../support/cli.js';
import { scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL, REPO_ROOT } from '../support/paths.js';

const targetsOf = (stdout: string) => (JSON.parse(stdout) as { artifacts: ArtifactRecord[] }).artifacts.map((a) => a.target);

describe('export defaults from a preset, the config and flags', function () {
  this.timeout(300_000);
  let project: string;
  before(async () => {
    project = await scratchDir('preset-export');
    await writeTree(project, {
      'node_modules/@acme/preset-mobile/package.json': { name: '@acme/preset-mobile', version: '1.0.0', description: 'Default plugins, exporting ONNX and TFLite', modelport: { type: 'preset', core: '^0.1.0', preset: './preset.json' } },
      'node_modules/@acme/preset-mobile/preset.json': { description: 'Default plugins, exporting ONNX and TFLite', extends: ['default'], plugins: [], export: { targets: ['onnx', 'tflite'], validate: false } },
    });
  });
  after(() => fs.rm(project, { recursive: true, force: true }));

  it('exports the targets the preset sets when neither the config nor --to does', async () => {
    const r = await runCli(['export', EXAMPLE_MODEL, '--preset', '@acme/preset-mobile', '--out', 'from-preset', '--json'], { cwd: project });
    expect(r.code, r.stderr).to.equal(0);
    expect(targetsOf(r.stdout)).to.deep.equal(['onnx', 'tflite']);
  });

  it('lets the config override the preset, and --to override both', async () => {
    await writeTree(project, { 'modelport.config.json': { presets: ['@acme/preset-mobile'], export: { targets: ['tflite'] } } });
    const fromConfig = await runCli(['export', EXAMPLE_MODEL, '--out', 'from-config', '--json'], { cwd: project });
    expect(fromConfig.code, fromConfig.stderr).to.equal(0);
    expect(targetsOf(fromConfig.stdout)).to.deep.equal(['tflite']);
    const fromFlag = await runCli(['export', EXAMPLE_MODEL, '--to', 'onnx', '--out', 'from-flag', '--json'], { cwd: project });
    expect(fromFlag.code, fromFlag.stderr).to.equal(0);
    expect(targetsOf(fromFlag.stdout)).to.deep.equal(['onnx']);
  });

  it('shows each preset\'s description in modelport presets', async () => {
    const r = await runCli(['presets'], { cwd: project });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^@acme\/preset-mobile 1\.0\.0 — .*\n {2}Default plugins, exporting ONNX and TFLite\n/m);
    expect(r.stdout).to.contain('  Default plugins, exporting ONNX and TFLite\n  export defaults: targets=["onnx","tflite"], validate=false\n');
    const shipped = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'plugins', 'preset-default', 'preset.json'), 'utf8')) as { description: string };
    expect(r.stdout).to.match(/^@modelport\/preset-default 0\.1\.0 — .*\n/m).and.contain(`\n  ${shipped.description}\n`);
  });
  it('names the preset that set a bad export option, and the flag that set another', async () => {
    await writeTree(project, {
      'modelport.config.json': { presets: ['@acme/preset-mobile'] },
      'node_modules/@acme/preset-mobile/preset.json': { extends: ['default'], plugins: [], export: { targets: ['onnx'], calibrationSteps: 0 } },
    });
    const presetFile = path.join(project, 'node_modules', '@acme', 'preset-mobile', 'preset.json');
    const fromPreset = await runCli(['export', EXAMPLE_MODEL, '--out', 'bad'], { cwd: project });
    expect(fromPreset.code).to.equal(1);
    expect(fromPreset.stderr).to.contain(`[plugin @acme/preset-mobile] file "${presetFile}": invalid preset file: "export.calibrationSteps" must be >= 1`);

    await writeTree(project, { 'node_modules/@acme/preset-mobile/preset.json': { extends: ['default'], plugins: [], export: { targets: ['onnx'] } } });
    const fromFlag = await runCli(['export', EXAMPLE_MODEL, '--tolerance', '-1', '--out', 'bad'], { cwd: project });
    expect(fromFlag.code).to.equal(1);
    expect(fromFlag.stderr).to.contain('invalid export options: "tolerance" must be > 0 (set in the command line (--tolerance))');
  });
});
