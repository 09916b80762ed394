import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  coreServices, createContainer, exportModulePlugin, initBackend, type ExportSummary, type Plugin,
} from '@modelport/core';
import { bestColourModule, colourClassifier, meanColourModule } from '@modelport/core/testing';
import exporterTfjs from '@modelport/exporter-tfjs';
import { Registry } from '@modelport/registry';
import runtimeTfjs from '@modelport/runtime-tfjs';
import validation from '@modelport/validation';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = path.join(REPO, 'cli', 'dist', 'src', 'bin.js');

async function exportWithSignatures(out: string): Promise<ExportSummary> {
  await initBackend();
  const container = createContainer();
  const registry = new Registry({ cwd: REPO, container });
  const plugins: Plugin<any>[] = [exporterTfjs, runtimeTfjs, validation, exportModulePlugin(meanColourModule, { name: '@acme/pixels', version: '0.1.0' }), exportModulePlugin(bestColourModule, { name: '@acme/top', version: '0.1.0' })];
  for (const plugin of plugins) await registry.register(plugin, {});
  await registry.configure({ presets: [] });
  return coreServices(container).pipeline.run({
    source: { format: 'graph', graph: colourClassifier(), name: 'colours' },
    options: { targets: ['tfjs'], out, validate: true, signatures: { serving_default: ['pixels', 'top'], features: ['pixels'] } },
  });
}

describe('modelport inspect of an export with module signatures', function () {
  this.timeout(120_000);
  let out: string;
  let summary: ExportSummary;

  before(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-inspect-signatures-'));
    summary = await exportWithSignatures(out);
  });
  after(async () => { await fs.rm(out, { recursive: true, force: true }); });

  it('lists each signature with its stages, inputs and outputs, and how validation went on it', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'inspect', path.join(summary.dir, 'export.json')]);
    expect(stdout).to.contain('signatures (3)');
    expect(stdout).to.contain('  serving_default: pixels → model → top');
    expect(stdout).to.contain('  features: pixels → model');
    expect(stdout).to.contain("  source: the model's own");
    expect(stdout).to.match(/input\s+image\s+uint8\s+\[-1, -1, -1, 3\]/);
    expect(stdout).to.match(/output\s+class\s+int32\s+\[-1\]/);
    expect(stdout).to.contain('validation: tfjs ok on image [1, 240, 320, 3]');
    // The serving_default block lists its own tensors, not the source's x.
    const block = stdout.slice(stdout.indexOf('serving_default: pixels'), stdout.indexOf('features: pixels'));
    expect(block).to.contain('image');
    expect(block).not.to.match(/input\s+x\s/);
  });

  it('reads the version folder as its export.json', async () => {
    const fromFolder = await run(process.execPath, [BIN, 'inspect', summary.dir]);
    const fromFile = await run(process.execPath, [BIN, 'inspect', path.join(summary.dir, 'export.json')]);
    expect(fromFolder.stdout).to.equal(fromFile.stdout);
    expect(fromFolder.stdout).to.contain('serving_default: pixels → model → top');
  });

  it('shows the stages a tfjs model.json records for a signature', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'inspect', path.join(summary.dir, 'tfjs', 'model.json')]);
    expect(stdout).to.match(/^signature features \(stages: pixels → model; file: features\/model\.json\)$/m);
    expect(stdout).to.match(/^signature source \(file: source\/model\.json\)$/m);
  });
});
