import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModelportError } from '@modelport/core';
import { acquireLock, LOCK_NAME, withLock } from '@modelport/checkpoint-manager';
import { runFixture, scratchDir, sleep } from './support.js';

describe('the checkpoint lock', function () {
  let modelDir: string;
  beforeEach(async () => { modelDir = path.join(await scratchDir('lock'), 'model'); });
  afterEach(() => fs.rm(path.dirname(modelDir), { recursive: true, force: true }));

  it('takes over at once the lock of a holder killed with SIGKILL', async () => {
    const holder = runFixture('hold-lock.mjs', [modelDir]);
    await holder.waitFor(/^locked$/);
    holder.process.kill('SIGKILL');
    await holder.exited;
    const t0 = Date.now();
    const lock = await acquireLock(modelDir, { staleMs: 10_000, timeoutMs: 5_000 });
    expect(Date.now() - t0).to.be.lessThan(2_000);
    await lock.release();
    expect(await fs.readdir(modelDir)).to.deep.equal([]);
  });

  it('waits for a live holder, then fails naming the lock file and the holder', async () => {
    const holder = runFixture('hold-lock.mjs', [modelDir]);
    try {
      await holder.waitFor(/^locked$/);
      const error = await acquireLock(modelDir, { staleMs: 10_000, timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ModelportError);
      expect((error as ModelportError).file).to.equal(path.join(modelDir, LOCK_NAME));
      expect((error as Error).message).to.contain(`pid ${holder.process.pid}`);
    } finally {
      holder.process.kill('SIGKILL');
      await holder.exited;
    }
  });

  it('takes over a lock from another host once it is older than staleMs', async () => {
    const dir = path.join(modelDir, LOCK_NAME);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'owner.json'), JSON.stringify({ pid: 1, host: 'another-host', token: 't', since: '2020-01-01T00:00:00Z' }));
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(dir, old, old);
    const lock = await acquireLock(modelDir, { staleMs: 2_000, timeoutMs: 1_000 });
    await lock.release();
  });

  it('orders writers of one process too', async () => {
    let inside = 0;
    let overlaps = 0;
    await Promise.all([1, 2, 3].map(() => withLock(modelDir, { staleMs: 10_000, timeoutMs: 5_000 }, async () => {
      inside++;
      if (inside > 1) overlaps++;
      await sleep(20);
      inside--;
    })));
    expect(overlaps).to.equal(0);
  });
});
