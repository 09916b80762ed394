import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { exportModuleFolders } from '../support/export-module-folders.js';
import { scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

interface ExportedSignature { inputs: Record<string, unknown>; outputs: Record<string, unknown>; stages?: string[]; moduleMetadata?: Record<string, Record<string, unknown>> }
const PLUGINS = ['--plugin', './scale,./percent'];

/** export.json's signatures of the one version written under `out`. */
async function exportedSignatures(summaryJson: string): Promise<Record<string, ExportedSignature>> {
  const { dir } = JSON.parse(summaryJson) as { dir: string };
  return (JSON.parse(await fs.readFile(path.join(dir, 'export.json'), 'utf8')) as { signatures: Record<string, ExportedSignature> }).signatures;
}

describe('CLI: signatures built from export modules', function () {
  this.timeout(120_000);
  let project: string;
  beforeEach(async () => {
    project = await scratchDir('signatures');
    await writeTree(project, {
      ...exportModuleFolders(),
      // The factor is read from a file named in the options: it resolves beside options.json, not the working folder.
      'opts/options.json': { scale: { factorFile: 'factor.json' }, 'raw/scale': { factor: 4 } },
      'opts/factor.json': { factor: 0.5 },
      'bad.json': '{ "scale": ',
    });
  });
  afterEach(() => fs.rm(project, { recursive: true, force: true }));

  it('builds each --signature from its modules with --module-options, per module and per signature, validated in tfjs and ONNX', async () => {
    const r = await runCli(['export', EXAMPLE_MODEL, ...PLUGINS, '--signature', 'pct=scale,percent', '--signature', 'raw=scale',
      '--module-options', 'opts/options.json', '--to', 'tfjs,onnx', '--out', 'models', '--json', '--no-progress'], { cwd: project });
    expect(r.code, r.stderr).to.equal(0);
    expect((JSON.parse(r.stdout) as { artifacts: { validation: { ok: boolean } }[] }).artifacts.map((a) => a.validation.ok)).to.deep.equal([true, true]);
    const signatures = await exportedSignatures(r.stdout);
    expect(Object.keys(signatures)).to.have.members(['serving_default', 'pct', 'raw']);
    expect(signatures.pct!.stages).to.deep.equal(['scale', 'model', 'percent']);
    expect(Object.keys(signatures.pct!.outputs)).to.deep.equal(['percent']);
    expect(signatures.pct!.moduleMetadata!.scale).to.deep.equal({ factor: 0.5 });
    expect(signatures.raw!.moduleMetadata!.scale).to.deep.equal({ factor: 4 });
  });

  it('keeps the model\'s signature under --source-signature KEY, or drops it with none', async () => {
    const [renamed, dropped] = await Promise.all(['original', 'none'].map((keep) => runCli(['export', EXAMPLE_MODEL, ...PLUGINS,
      '--signature', 'serving_default=scale', '--source-signature', keep, '--no-validate', '--out', `models-${keep}`, '--json', '--no-progress'], { cwd: project })));
    expect(renamed!.code, renamed!.stderr).to.equal(0);
    expect(dropped!.code, dropped!.stderr).to.equal(0);
    expect(Object.keys(await exportedSignatures(renamed!.stdout))).to.have.members(['original', 'serving_default']);
    expect(Object.keys(await exportedSignatures(dropped!.stdout))).to.deep.equal(['serving_default']);
  });

  it('takes signatures and moduleOptions from modelport.config.json, says so in module errors, and lets --module-options win', async () => {
    await writeTree(project, {
      'modelport.config.json': { presets: ['default'], plugins: ['./scale'], export: { signatures: { scaled: ['scale'] }, moduleOptions: { scale: { factor: -1 } } } },
      'good.json': { scale: { factor: 3 } },
    });
    const [fromConfig, flagWins] = await Promise.all([
      runCli(['export', EXAMPLE_MODEL, '--no-validate', '--out', 'models-config'], { cwd: project }),
      runCli(['export', EXAMPLE_MODEL, '--module-options', 'good.json', '--no-validate', '--out', 'models-flag', '--json', '--no-progress'], { cwd: project }),
    ]);
    expect(fromConfig.code).to.equal(1);
    expect(fromConfig.stderr).to.include('signature "scaled", module "scale", option "factor" (set in modelport.config.json): must be above 0, not -1');
    expect(flagWins.code, flagWins.stderr).to.equal(0);
    expect((await exportedSignatures(flagWins.stdout)).scaled!.moduleMetadata!.scale).to.deep.equal({ factor: 3 });
  });

  it('names --module-options FILE in a module\'s error, and refuses a repeated key, a malformed --signature or a file that is not JSON, writing nothing', async () => {
    await writeTree(project, { 'negative.json': { scale: { factor: 0 } } });
    const run = (...args: string[]) => runCli(['export', EXAMPLE_MODEL, ...PLUGINS, '--no-validate', '--out', 'models', ...args], { cwd: project });
    const [negative, twice, noEquals, emptyModule, badJson, missing] = await Promise.all([
      run('--signature', 'scaled=scale', '--module-options', 'negative.json'),
      run('--signature', 'serving_default=scale,percent', '--signature', 'serving_default=scale'),
      run('--signature', 'scale'),
      run('--signature', 'scaled=scale,,percent'),
      run('--signature', 'scaled=scale', '--module-options', 'bad.json'),
      run('--signature', 'scaled=scale', '--module-options', 'nowhere.json'),
    ]);
    expect(negative.stderr).to.include('signature "scaled", module "scale", option "factor" (set in --module-options negative.json): must be above 0, not 0');
    expect(twice.stderr).to.include('signature "serving_default" is given twice: --signature serving_default=scale,percent and --signature serving_default=scale');
    expect(noEquals.stderr).to.include('--signature "scale": no "="; write KEY=MODULE[,MODULE…]');
    expect(emptyModule.stderr).to.include('--signature "scaled=scale,,percent": an empty module name');
    expect(badJson.stderr).to.include('--module-options bad.json: not valid JSON');
    expect(missing.stderr).to.include('--module-options nowhere.json: cannot read the file');
    for (const r of [negative, twice, noEquals, emptyModule, badJson, missing]) expect(r.code, r.stderr).to.equal(1);
    expect(await fs.readdir(project)).to.not.include('models');
  });
});
