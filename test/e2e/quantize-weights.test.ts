import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeTfjsWeights, encodeTfjsWeight, readTfjsModelFiles } from '@modelport/core';
import { runCli } from '../support/cli.js';
import { listTree, scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

interface ExportJson {
  dir: string;
  artifacts: { target: string; validation?: { ok: boolean } }[];
  notes: string[];
}

async function exportTfjs(out: string, extra: string[]): Promise<ExportJson> {
  const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs', '--out', out, '--json', ...extra]);
  expect(r.code, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as ExportJson;
}

/**
 * --quantize float16 and uint8 for tfjs go through @modelport/quantizer-weights now; the files must
 * be those the tfjs exporter wrote on its own: the float export's weights encoded by core's tfjs
 * encoder as the mode asks, byte for byte, and the same topology.
 */
describe('CLI: --quantize float16 | uint8 --to tfjs through the weight quantizer', function () {
  this.timeout(120_000);
  let dir: string;
  let float: Awaited<ReturnType<typeof readTfjsModelFiles>>;
  before(async () => {
    dir = await scratchDir('quantize-weights');
    const plain = await exportTfjs(path.join(dir, 'float'), ['--no-validate']);
    float = await readTfjsModelFiles(path.join(plain.dir, 'tfjs', 'model.json'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  for (const mode of ['float16', 'uint8'] as const) {
    it(`--quantize ${mode}: the same files as before, validated, and the summary says what was quantized`, async () => {
      const summary = await exportTfjs(path.join(dir, mode), ['--quantize', mode]);
      expect(summary.artifacts[0]!.validation?.ok).to.equal(true);
      const files = await readTfjsModelFiles(path.join(summary.dir, 'tfjs', 'model.json'));
      expect(await listTree(path.join(summary.dir, 'tfjs'))).to.deep.equal(['group1-shard1of1.bin', 'model.json']);

      const { weightsManifest: _q, ...topology } = files.json;
      const { weightsManifest: _f, ...floatTopology } = float.json;
      expect(topology).to.deep.equal(floatTopology);
      const specs = float.json.weightsManifest[0]!.weights;
      const values = decodeTfjsWeights(specs, float.groups[0]!.bytes, 'float export');
      const former = specs.map((s) => encodeTfjsWeight(s.name, values.get(s.name)!, mode));
      expect(files.json.weightsManifest[0]!.weights).to.deep.equal(former.map((w) => w.spec));
      expect(Buffer.from(files.groups[0]!.bytes).equals(Buffer.concat(former.map((w) => w.bytes)))).to.equal(true);
      const quantized = former.filter((w) => w.spec.quantization).length;
      expect(quantized).to.equal(10);

      const manifest = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8'));
      expect(manifest.quantization).to.deep.equal({ mode, plugin: '@modelport/quantizer-weights', weights: { quantized, kept: 1 } });
      expect(manifest.plugins.map((p: { name: string }) => p.name)).to.include.members(['@modelport/quantizer-weights', '@modelport/quantizer-int8']);
      expect(summary.notes).to.include(`quantize: ${quantized} weights stored as ${mode} (1 weight kept: not float32 or not selected)`);
      expect(summary.notes).to.include(`tfjs: ${quantized} weight(s) stored as ${mode}`);
    });
  }

  it('--quantize with no quantizer plugin: one error before anything is written', async () => {
    const project = path.join(dir, 'project');
    await writeTree(project, { 'modelport.config.json': { presets: ['default'], plugins: [['quantizer-weights', false], ['quantizer-int8', false]] } });
    const r = await runCli(['export', EXAMPLE_MODEL, '--to', 'tfjs', '--out', 'models', '--quantize', 'float16'], { cwd: project });
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('error: --quantize float16: no quantizer plugin is installed/selected (add @modelport/quantizer-weights or @modelport/quantizer-int8 to the preset)');
    expect(await listTree(project)).to.deep.equal(['modelport.config.json']);
  });
});
