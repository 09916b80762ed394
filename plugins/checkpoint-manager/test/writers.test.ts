import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LOCK_NAME, readIndex } from '@modelport/checkpoint-manager';
import { runFixture, scratchDir, verifyAll } from './support.js';

describe('two writer processes on one model directory', function () {
  this.timeout(120_000);
  let base: string;
  beforeEach(async () => { base = await scratchDir('writers'); });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  it('write unique, complete versions and one consistent index', async () => {
    const env = { START_AT: String(Date.now() + 1_500) };
    const writers = [runFixture('writer.mjs', [base, 'shared', '15'], { env }), runFixture('writer.mjs', [base, 'shared', '15'], { env })];
    const exits = await Promise.all(writers.map((w) => w.exited));
    exits.forEach((e, i) => expect(e.code, writers[i]!.stderr()).to.equal(0));
    const versionsOf = (lines: string[]) => lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.split(' ')[1]));
    const [a, b] = writers.map((w) => versionsOf(w.lines));
    expect(a).to.have.length(15);
    expect(b).to.have.length(15);
    expect(a!.filter((v) => b!.includes(v))).to.deep.equal([]);
    // They did write at the same time: their versions interleave.
    expect(a!.some((v) => v > Math.min(...b!) && v < Math.max(...b!)), `a: ${a} b: ${b}`).to.equal(true);
    const modelDir = path.join(base, 'shared');
    const { versions, problems } = await verifyAll(modelDir);
    expect(problems).to.deep.equal([]);
    expect(versions).to.deep.equal([...a!, ...b!].sort((x, y) => x - y));
    // Steps are "latest + 1" decided under the lock, so they are unique too: 1..30.
    expect(versions).to.deep.equal(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await readIndex(modelDir)).index?.checkpoints.map((c) => c.version)).to.deep.equal(versions);
    expect((await fs.readdir(modelDir)).filter((n) => n.startsWith('.') || n.endsWith('.tmp'))).to.deep.equal([]);
    expect(await fs.readdir(modelDir)).to.not.include(LOCK_NAME);
  });
});
