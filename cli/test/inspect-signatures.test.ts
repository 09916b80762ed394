import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  coreServices, createContainer, exportModulePlugin, GraphBuilder, initBackend, type ExportModule, type ExportSummary, type Graph, type Plugin,
} from '@modelport/core';
import exporterTfjs from '@modelport/exporter-tfjs';
import { Registry } from '@modelport/registry';
import runtimeTfjs from '@modelport/runtime-tfjs';
import validation from '@modelport/validation';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = path.join(REPO, 'cli', 'dist', 'src', 'bin.js');
const F = { T: { type: 'float32' } } as const;

/** x [-1, 3] → softmax scores [-1, 3]. */
function classifier(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 3]);
  const w = b.constant('w', 'float32', [3, 3], [0.9, -0.4, 0.2, -0.3, 0.8, 0.1, 0.5, 0.3, -0.7]);
  const logits = b.node('logits', { op: 'MatMul', inputs: [x, w], attrs: { ...F, transpose_a: { b: false }, transpose_b: { b: false } } });
  const scores = b.node('scores', { op: 'Softmax', inputs: [logits], attrs: F });
  return b.outputs(scores).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [-1, 3] } },
    outputs: { scores: { name: 'scores:0', dtype: 'float32', shape: [-1, 3] } },
  }).build();
}

/** A uint8 image of any size, averaged to the model's x. */
const pixels: ExportModule = {
  kind: 'input', name: 'pixels',
  build(ctx) {
    const image = ctx.ops.input('image', 'uint8', [-1, -1, -1, 3]);
    const f = ctx.ops.node('to_float', { op: 'Cast', inputs: [image], attrs: { SrcT: { type: 'uint8' }, DstT: { type: 'float32' }, Truncate: { b: false } } });
    const axes = ctx.ops.constant('axes', 'int32', [2], [1, 2]);
    return { feeds: { x: ctx.ops.node('mean', { op: 'Mean', inputs: [f, axes], attrs: { ...F, Tidx: { type: 'int32' }, keep_dims: { b: false } } }) } };
  },
};

/** The best class (int32) beside the scores. */
const top: ExportModule = {
  kind: 'output', name: 'top',
  build(ctx, _o, outputs) {
    const scores = outputs.scores!;
    const best = ctx.ops.node('best', { op: 'ArgMax', inputs: [scores.name, ctx.ops.constant('axis', 'int32', [], [1])], attrs: { ...F, Tidx: { type: 'int32' }, output_type: { type: 'int32' } } });
    return { outputs: { class: { name: best, dtype: 'int32', shape: [-1] }, scores } };
  },
};

async function exportWithSignatures(out: string): Promise<ExportSummary> {
  await initBackend();
  const container = createContainer();
  const registry = new Registry({ cwd: REPO, container });
  const plugins: Plugin<any>[] = [exporterTfjs, runtimeTfjs, validation, exportModulePlugin(pixels, { name: '@acme/pixels', version: '0.1.0' }), exportModulePlugin(top, { name: '@acme/top', version: '0.1.0' })];
  for (const plugin of plugins) await registry.register(plugin, {});
  await registry.configure({ presets: [] });
  return coreServices(container).pipeline.run({
    source: { format: 'graph', graph: classifier(), name: 'colours' },
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
