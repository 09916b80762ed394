import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { openCheckpointManager, TrainerExportCallback } from '@modelport/trainer-export';
import { runFixture, scratchDir, sleep, syntheticData, tinyModel } from './support.js';

describe('a reader process while training writes', function () {
  this.timeout(120_000);
  let base: string;
  before(() => initBackend());
  beforeEach(async () => { base = await scratchDir('reader'); });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  it('never sees a partial version, only complete ones or none', async () => {
    const reader = runFixture('reader.mjs', [base, 'live']);
    await reader.waitFor(/^ready$/m);
    const manager = await openCheckpointManager({ directory: base, model: 'live', maxToKeep: 3, keepBest: { metric: 'val_loss' } });
    const exporter = new TrainerExportCallback(manager, { everyEpochs: 1, monitor: 'val_loss' });
    // Slower epochs give the reader time to catch versions as they come and go.
    const pace = new tf.CustomCallback({ onEpochEnd: () => sleep(40) });
    const { x, y } = syntheticData();
    await tinyModel().fit(x, y, { epochs: 20, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [exporter, pace] });
    await sleep(200);
    reader.process.stdin!.end();
    expect(await reader.exited, reader.stderr()).to.equal(0);
    const seen = JSON.parse(reader.stdout().trim().split('\n').pop()!) as { lists: number; checked: number; watched: number; vanished: number; partial: string[] };
    expect(seen.partial, JSON.stringify(seen)).to.deep.equal([]);
    expect(exporter.saved).to.have.length(20);
    expect(seen.checked).to.be.at.least(10);
    expect(seen.watched).to.be.at.least(10);
    expect(seen.lists).to.be.greaterThan(20);
  });
});
