import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { openCheckpointManager, trainerExport } from '@modelport/trainer-export';
import { runCli } from '../support/cli.js';
import { scratchDir } from '../support/fixtures.js';

describe('CLI: modelport checkpoints', function () {
  this.timeout(120_000);
  let base: string;
  before(async () => {
    await initBackend();
    base = await scratchDir('checkpoints');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }), tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] });
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const xs = tf.randomUniform([64, 4], 0, 1, 'float32', 3);
    const ys = xs.sum(1, true);
    const manager = await openCheckpointManager({ directory: base, model: 'regressor', targets: ['tfjs'], export: { validate: false } });
    await model.fit(xs, ys, { epochs: 6, batchSize: 16, shuffle: false, verbose: 0, callbacks: [trainerExport(manager, { everyEpochs: 1, atEnd: false })] });
  });
  after(() => fs.rm(base, { recursive: true, force: true }));

  it('lists the versions with their steps and metrics', async () => {
    const r = await runCli(['checkpoints', path.join(base, 'regressor'), '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const rows = JSON.parse(r.stdout) as { version: number; step: number; metrics: Record<string, number> }[];
    expect(rows.map((x) => x.step)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(rows.every((x) => typeof x.metrics.loss === 'number')).to.equal(true);
    const table = await runCli(['checkpoints', path.join(base, 'regressor')]);
    expect(table.stdout.split('\n')[0]).to.match(/^version\s+step\s+time\s+loss/);
  });

  it('prunes by a policy given on the command line, keeping the newest and the best', async () => {
    const dry = await runCli(['checkpoints', path.join(base, 'regressor'), '--prune', '--dry-run', '--max-to-keep', '2', '--keep-best', 'loss:min:1']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/^would remove version\(s\) /);
    expect((await fs.readdir(path.join(base, 'regressor'))).filter((d) => /^\d+$/.test(d))).to.have.length(6);
    const r = await runCli(['checkpoints', path.join(base, 'regressor'), '--prune', '--max-to-keep', '2', '--keep-best', 'loss:min:1', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const left = (await fs.readdir(path.join(base, 'regressor'))).filter((d) => /^\d+$/.test(d)).map(Number).sort((a, b) => a - b);
    expect(left.slice(-2)).to.deep.equal([5, 6]);
    expect(left.length).to.be.within(2, 3);
    const bad = await runCli(['checkpoints', path.join(base, 'regressor'), '--prune', '--keep-best', 'loss:lowest']);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/--keep-best "loss:lowest": write METRIC\[:min\|max\[:COUNT\]\]/);
  });
});
