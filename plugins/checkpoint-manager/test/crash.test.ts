import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CheckpointManager, LOCK_NAME, readIndex } from '@modelport/checkpoint-manager';
import { FIXTURES, scratchDir, verifyAll } from './support.js';

interface CrashStats {
  kills: number; reported: number; visible: number; versionsVerified: number;
  interruptedExports: number; lockHeldAtKill: number; lost: number[]; incomplete: string[]; seconds: number;
}
type CrashLoop = (options: { base: string; model: string; kills: number; maxDelayMs?: number; maxToKeep?: number }) => Promise<CrashStats>;

describe('checkpoints under SIGKILL', function () {
  this.timeout(180_000);
  let base: string;
  let crashLoop: CrashLoop;
  before(async () => { ({ crashLoop } = await import(pathToFileURL(path.join(FIXTURES, 'crash-loop.mjs')).href) as { crashLoop: CrashLoop }); });
  beforeEach(async () => { base = await scratchDir('crash'); });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  it('keeps every visible version complete and loses none across 50 kills; start-up removes the leftovers', async () => {
    const stats = await crashLoop({ base, model: 'crash', kills: 50 });
    expect(stats.kills).to.equal(50);
    expect(stats.incomplete).to.deep.equal([]);
    expect(stats.lost).to.deep.equal([]);
    expect(stats.visible).to.be.at.least(stats.reported).and.at.least(50);
    // The kills landed inside saves, not only between them.
    expect(stats.interruptedExports + stats.lockHeldAtKill).to.be.greaterThan(0);

    const modelDir = path.join(base, 'crash');
    await new CheckpointManager({ directory: base, model: 'crash' }).open();
    const names = await fs.readdir(modelDir);
    expect(names.filter((n) => n.startsWith('.tmp-') || n === LOCK_NAME || n.endsWith('.tmp'))).to.deep.equal([]);
    const { versions, problems } = await verifyAll(modelDir);
    expect(problems).to.deep.equal([]);
    expect((await readIndex(modelDir)).index?.checkpoints.map((c) => c.version)).to.deep.equal(versions);
  });

  it('keeps versions complete while retention deletes under kills, and keeps the best', async () => {
    const stats = await crashLoop({ base, model: 'pruned', kills: 6, maxToKeep: 3 });
    expect(stats.incomplete).to.deep.equal([]);
    const manager = new CheckpointManager({ directory: base, model: 'pruned', maxToKeep: 3, keepBest: { metric: 'val.loss' } });
    await manager.prune();
    const list = await manager.list();
    expect(list.length).to.be.within(3, 4);
    expect((await fs.readdir(manager.modelDir)).filter((n) => n.startsWith('.tmp-'))).to.deep.equal([]);
    expect((await verifyAll(manager.modelDir)).problems).to.deep.equal([]);
  });
});
