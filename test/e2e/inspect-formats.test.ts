import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

/** The rows of the signature table: [kind, name, …, dtype, shape]. */
function signatureRow(stdout: string, kind: 'input' | 'output', name: string): string {
  const row = stdout.split('\n').find((l) => new RegExp(`^\\s+${kind}\\s+${name}\\s`).test(l));
  expect(row, `no ${kind} row for ${name} in\n${stdout}`).to.be.a('string');
  return row!;
}

/** The count the op histogram shows for `op`. */
function opCount(stdout: string, op: string): number {
  const row = stdout.split('\n').find((l) => new RegExp(`^\\s+${op.replace(/\./g, '\\.')}\\s+\\d+$`).test(l));
  expect(row, `no op ${op} in\n${stdout}`).to.be.a('string');
  return Number(row!.trim().split(/\s+/).pop());
}

/**
 * A package that adds the ".oplist" format (one op name a line) to inspect: what a plugin for a
 * format modelport does not know writes.
 */
const OPLIST_PLUGIN = {
  'node_modules/@acme/modelport-oplist/package.json': {
    name: '@acme/modelport-oplist', version: '1.0.0', type: 'module', main: 'index.js',
    modelport: { type: 'runtime', provides: ['oplist'], core: '^0.1.0' },
  },
  'node_modules/@acme/modelport-oplist/index.js': `
import { promises as fs } from 'node:fs';
import { ARTIFACT_DESCRIBERS, contribute, countOpNames } from '@modelport/core';
export default {
  name: '@acme/modelport-oplist', version: '1.0.0',
  apply(_hooks, _options, container) {
    contribute(container, ARTIFACT_DESCRIBERS, {
      format: 'oplist',
      description: 'a list of op names, one a line',
      matches: (file) => file.endsWith('.oplist'),
      async describe(file) {
        const text = await fs.readFile(file, 'utf8');
        const ops = text.split('\\n').filter(Boolean);
        return {
          format: 'oplist', summary: 'an op list', shapeNotes: [],
          signatures: { serving_default: { inputs: [{ name: 'x', dtype: 'float32', shape: [-1, 4], dynamic: true }], outputs: [{ name: 'y', dtype: 'float32', shape: [-1, 4], dynamic: true }], frozenInputs: [] } },
          ops: countOpNames(ops), opUnit: 'lines', details: [{ label: 'lines', value: ops.length }], size: Buffer.byteLength(text),
        };
      },
    });
  },
};
`,
};

describe('inspect: each format described by the plugin that contributes it', function () {
  this.timeout(180_000);
  let dir: string;
  let exported: string;
  before(async () => {
    dir = await scratchDir('inspect');
    const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'tflite,onnx', '--out', path.join(dir, 'models'), '--json', '--no-progress']);
    expect(r.code, r.stderr).to.equal(0);
    exported = JSON.parse(r.stdout).dir;
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('describes a tfjs model.json: shapes inferred symbolically, the graph\'s ops, its weights', async () => {
    const r = await runCli(['inspect', EXAMPLE_MODEL]);
    expect(r.code, r.stderr).to.equal(0);
    expect(signatureRow(r.stdout, 'input', 'image')).to.match(/image:0\s+float32\s+\[N, 32, 32, 3\]$/);
    expect(signatureRow(r.stdout, 'output', 'classes')).to.match(/float32\s+\[N, 10\]$/);
    expect(r.stdout).to.match(/^dynamic inputs: image$/m).and.match(/^sizes: N = image\[0\]/m);
    expect(opCount(r.stdout, 'Conv2D')).to.equal(2);
    expect(r.stdout).to.match(/^ops \(29 nodes, 14 kinds\)$/m).and.match(/weight tensors: 11; weight values: 1,660; .*on disk: \d/);
  });

  it('describes a .tflite file: the pinned batch with the source shape, operators, tensors and metadata', async () => {
    const r = await runCli(['inspect', path.join(exported, 'model.tflite')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^TFLite schema 3, 1 subgraph\(s\); description: modelport /m);
    expect(signatureRow(r.stdout, 'input', 'image')).to.match(/float32\s+\[1, 32, 32, 3\] \(source \[-1, 32, 32, 3\], pinned at export\)$/);
    expect(r.stdout).to.match(/^inputs dynamic in the source, static here: image$/m);
    expect(opCount(r.stdout, 'CONV_2D')).to.equal(2);
    expect(r.stdout).to.match(/^ops \(\d+ operators, \d+ kinds\)$/m).and.match(/tensors: \d+; weights: .*; metadata: modelport; on disk: /);
  });

  it('describes an .onnx file: opset and producer, symbolic batch, node histogram, initializers', async () => {
    const r = await runCli(['inspect', path.join(exported, 'model.onnx')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^ONNX IR \d+, opset 17; producer: modelport /m);
    expect(signatureRow(r.stdout, 'input', 'image')).to.match(/float32\s+\[batch, 32, 32, 3\]$/);
    expect(r.stdout).to.match(/^dynamic inputs: image$/m);
    expect(opCount(r.stdout, 'Conv')).to.be.greaterThan(0);
    expect(r.stdout).to.match(/^initializers: \d+; weights: .*; on disk: /m);
  });

  it('reads an export.json itself: each artifact with its size and validation', async () => {
    const r = await runCli(['inspect', path.join(exported, 'export.json')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^model tiny-cnn, exported /m);
    expect(r.stdout).to.match(/^\s+tflite\s+model\.tflite\s+\S+ KB\s+ok\s/m).and.match(/^\s+onnx\s+model\.onnx\s+\S+ KB\s+ok\s/m);
  });

  it('describes a format a project plugin contributes, named by --plugin', async () => {
    await writeTree(dir, { ...OPLIST_PLUGIN, 'model.oplist': 'Conv2D\nRelu\nConv2D\n' });
    const r = await runCli(['inspect', 'model.oplist', '--plugin', '@acme/modelport-oplist'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^an op list$/m);
    expect(signatureRow(r.stdout, 'input', 'x')).to.match(/float32\s+\[-1, 4\]$/);
    expect(r.stdout).to.match(/^dynamic inputs: x \(-1 = decided at run time\)$/m).and.match(/^ops \(3 lines, 2 kinds\)$/m);
    expect(opCount(r.stdout, 'Conv2D')).to.equal(2);
  });

  it('refuses a file no plugin describes, naming it and every known format with its plugin', async () => {
    await writeTree(dir, { 'weights.npz': 'not a model' });
    const file = path.join(dir, 'weights.npz');
    const r = await runCli(['inspect', file]);
    expect(r.code).to.equal(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).to.have.length(1);
    expect(lines[0]).to.contain(`file "${file}": no plugin describes this file`)
      .and.contain('tfjs: a tfjs model.json').and.contain('(@modelport/importer-tfjs)')
      .and.contain('tflite: ').and.contain('(@modelport/runtime-tflite)')
      .and.contain('onnx: ').and.contain('(@modelport/runtime-onnx)')
      .and.match(/--plugin or in modelport\.config\.json/);
    expect(r.stdout).to.equal('');
  });

  it('names the plugin when its describer fails on its own (not the file\'s) account', async () => {
    await writeTree(dir, {
      ...OPLIST_PLUGIN,
      'node_modules/@acme/modelport-oplist/index.js': `
import { ARTIFACT_DESCRIBERS, contribute } from '@modelport/core';
export default { name: '@acme/modelport-oplist', version: '1.0.0', apply(_h, _o, container) {
  contribute(container, ARTIFACT_DESCRIBERS, { format: 'oplist', description: 'op names', matches: (f) => f.endsWith('.oplist'), async describe() { throw new TypeError('ops is undefined'); } });
} };
`,
      'broken.oplist': 'Relu\n',
    });
    const r = await runCli(['inspect', 'broken.oplist', '--plugin', '@acme/modelport-oplist'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('error: [plugin @acme/modelport-oplist] core.artifact-describers[oplist]: internal error (TypeError: ops is undefined), likely a value in the input that this plugin does not check; run with --verbose for the stack');
  });
});
