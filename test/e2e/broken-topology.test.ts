import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { listTree, scratchDir } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

interface LayerJson { name: string; config: { name?: string }; inbound_nodes: [string, number, number, object][][] }

/** The example model with its layers handed to `breakLinks` (tfjs loops for ever on each of these). */
const BROKEN: Record<string, { breakLinks: (layers: LayerJson[]) => void; message: RegExp }> = {
  'a layer reading a missing layer': {
    breakLinks: (layers) => { byName(layers, 'lrelu3').inbound_nodes = [[['conv9', 0, 0, {}]]]; },
    message: /layer "lrelu3" takes input from layer "conv9", which does not exist/,
  },
  'a layer that is its own input': {
    breakLinks: (layers) => { byName(layers, 'conv3').inbound_nodes = [[['conv3', 0, 0, {}]]]; },
    message: /layer "conv3" takes its own output as input/,
  },
  'two layers feeding each other': {
    breakLinks: (layers) => { byName(layers, 'conv3').inbound_nodes = [[['lrelu3', 0, 0, {}]]]; },
    message: /layers "conv3" → "lrelu3" → "conv3" feed each other in a cycle/,
  },
  'a layer name used twice': {
    breakLinks: (layers) => { const l = byName(layers, 'conv3'); l.name = 'conv1'; l.config.name = 'conv1'; },
    message: /layer name "conv1" is used by 2 layers/,
  },
};

function byName(layers: LayerJson[], name: string): LayerJson {
  const layer = layers.find((l) => l.name === name);
  if (!layer) throw new Error(`the example model has no layer "${name}"`);
  return layer;
}

/**
 * A layers model whose links are broken is refused by inspect and export with one line naming the
 * layer, on its own (tfjs would spin at 100% CPU; the run gets SIGTERM after a minute, code 143),
 * and nothing is written.
 */
describe('CLI: layers models with broken links', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => { dir = await scratchDir('broken-links'); });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  for (const [kind, { breakLinks, message }] of Object.entries(BROKEN)) {
    it(`refuses ${kind} in inspect and export`, async () => {
      const modelDir = path.join(dir, kind.replace(/\W+/g, '-'));
      await fs.mkdir(modelDir, { recursive: true });
      const json = JSON.parse(await fs.readFile(EXAMPLE_MODEL, 'utf8')) as { modelTopology: { config: { layers: LayerJson[] } } };
      breakLinks(json.modelTopology.config.layers);
      const file = path.join(modelDir, 'model.json');
      await fs.writeFile(file, JSON.stringify(json));
      await fs.copyFile(path.join(path.dirname(EXAMPLE_MODEL), 'weights.bin'), path.join(modelDir, 'weights.bin'));
      const out = path.join(dir, 'out');

      for (const args of [['inspect', file], ['export', file, '--out', out, '--to', 'tfjs,onnx']]) {
        const r = await runCli(args, { timeoutMs: 60_000 });
        expect(r.code, `${args[0]}: ${r.stderr} (${Math.round(r.ms)} ms)`).to.equal(1);
        const lines = r.stderr.trim().split('\n');
        expect(lines, r.stderr).to.have.length(1);
        expect(lines[0]).to.match(message).and.to.contain(`file "${file}"`);
        expect(r.stdout).to.equal('');
      }
      expect(await listTree(out)).to.deep.equal([]);
    });
  }
});
