import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, OptionsError } from '@modelport/core';
import { CheckpointManager } from '@modelport/checkpoint-manager';
import { decideEpoch, openCheckpointManager, TrainerExportCallback, validateTrainerOptions } from '@modelport/trainer-export';
import { PredictionRecorder, scratchDir, syntheticData, tinyModel } from './support.js';

/** What the best-exporter pattern must do with these losses, worked out independently. */
function expectedExports(valLoss: readonly number[], everyEpochs: number, firstStep = 1, best = Infinity): [number, string[]][] {
  const out: [number, string[]][] = [];
  valLoss.forEach((loss, e) => {
    const step = e + firstStep;
    const triggers: string[] = [];
    if (step % everyEpochs === 0) triggers.push('periodic');
    if (loss < best) { triggers.push('best'); best = loss; }
    if (triggers.length) out.push([step, triggers]);
  });
  const last = valLoss.length - 1 + firstStep;
  if (out[out.length - 1]?.[0] !== last) out.push([last, ['end']]);
  return out;
}

describe('TrainerExportCallback', function () {
  this.timeout(120_000);
  let base: string;
  before(() => initBackend());
  beforeEach(async () => { base = await scratchDir('callback'); });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  it('exports every N epochs, on each improvement and at the end; retention keeps the newest and the best; restore is exact', async () => {
    const manager = await openCheckpointManager({ directory: base, model: 'net', maxToKeep: 2, keepBest: { metric: 'val_loss' } });
    const exporter = new TrainerExportCallback(manager, { everyEpochs: 3, monitor: 'val_loss' });
    const { x, y } = syntheticData();
    const probe = tf.randomNormal([8, 4], 0, 1, 'float32', 5);
    const recorder = new PredictionRecorder(probe);
    const model = tinyModel();
    const history = await model.fit(x, y, { epochs: 8, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [exporter, recorder] });
    const valLoss = history.history.val_loss as number[];

    expect(exporter.saved.map((c) => [c.step, c.triggers])).to.deep.equal(expectedExports(valLoss, 3));
    const bestStep = valLoss.indexOf(Math.min(...valLoss)) + 1;
    const savedSteps = exporter.saved.map((c) => c.step);
    expect((await manager.list()).map((c) => c.step)).to.deep.equal([...new Set([...savedSteps.slice(-2), bestStep])].sort((a, b) => a - b));
    expect((await manager.best())?.step).to.equal(bestStep);
    expect((await manager.latest())?.step).to.equal(8);

    const bestFile = JSON.parse(await fs.readFile(path.join(manager.modelDir, 'best.json'), 'utf8'));
    expect(bestFile.monitors.val_loss).to.include({ mode: 'min', value: Math.min(...valLoss), step: bestStep });

    for (const checkpoint of await manager.list()) {
      const restored = await manager.restore(checkpoint, 'layers');
      const predicted = restored.predict(probe) as tf.Tensor;
      expect(Array.from(await predicted.data()), `step ${checkpoint.step}`).to.deep.equal(recorder.byStep.get(checkpoint.step));
    }
  });

  it('keeps comparing against the persisted best after a restart, continuing the steps', async () => {
    const options = { directory: base, model: 'net', maxToKeep: 1, export: { validate: false } };
    const { x, y } = syntheticData();
    const first = new TrainerExportCallback(await openCheckpointManager(options), { monitor: 'val_loss' });
    const history = await tinyModel().fit(x, y, { epochs: 4, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [first] });
    const best = Math.min(...(history.history.val_loss as number[]));
    const bestFile = path.join(base, 'net', 'best.json');
    const persisted = await fs.readFile(bestFile, 'utf8');

    // A new process would start here: new manager, new callback, and an untrained model that is far worse.
    const manager = await openCheckpointManager(options);
    const second = new TrainerExportCallback(manager, { monitor: 'val_loss' });
    const again = await tinyModel(9).fit(x, y, { epochs: 2, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [second] });
    expect(Math.min(...(again.history.val_loss as number[]))).to.be.greaterThan(best);
    expect(second.bestRecord?.value).to.equal(best);
    expect(second.saved.map((c) => [c.step, c.triggers])).to.deep.equal([[6, ['end']]]);
    expect(await fs.readFile(bestFile, 'utf8')).to.equal(persisted);

    // Lost best.json: the best checkpoint's own metrics still stand (the latest is the best here only if it was kept).
    await fs.rm(bestFile);
    const third = new TrainerExportCallback(manager, { monitor: 'val_loss' });
    third.setModel(tinyModel(9));
    await third.onTrainBegin();
    expect(third.bestRecord?.value).to.equal((await manager.best('val_loss'))?.metrics.val_loss);
  });

  it('monitors nested metric names and resolves tensor logs (custom training loops)', async () => {
    const manager = await openCheckpointManager({ directory: base, model: 'loop', export: { validate: false } });
    const exporter = new TrainerExportCallback(manager, { monitor: 'val.acc', mode: 'max', atEnd: false });
    exporter.setModel(tinyModel());
    await exporter.onTrainBegin();
    for (const [epoch, acc] of [0.5, 0.6, 0.6, 0.55, 0.7].entries()) {
      await exporter.onEpochEnd(epoch, { val: { acc: tf.scalar(acc) } } as unknown as tf.Logs);
    }
    await exporter.onTrainEnd();
    expect(exporter.saved.map((c) => c.step)).to.deep.equal([1, 2, 5]);
    expect(exporter.saved[2]!.metrics).to.deep.equal({ val: { acc: Math.fround(0.7) } });
  });

  it('works with fitDataset', async () => {
    const manager = await openCheckpointManager({ directory: base, model: 'ds', export: { validate: false } });
    const { x, y } = syntheticData(32);
    const dataset = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(8);
    const exporter = new TrainerExportCallback(manager, { everyEpochs: 1 });
    await tinyModel().fitDataset(dataset as tf.data.Dataset<tf.TensorContainer>, { epochs: 2, verbose: 0, callbacks: [exporter] });
    expect((await manager.list()).map((c) => [c.step, c.triggers])).to.deep.equal([[1, ['periodic']], [2, ['periodic']]]);
  });

  it('decides exports by strict improvement, minDelta and mode', () => {
    const options = validateTrainerOptions({ monitor: 'val.loss', everyEpochs: 2, minDelta: 0.1 });
    expect(decideEpoch(1, { val: { loss: 1 } }, undefined, options).triggers).to.deep.equal(['best']);
    expect(decideEpoch(2, { val: { loss: 0.95 } }, 1, options).triggers).to.deep.equal(['periodic']);
    expect(decideEpoch(3, { val: { loss: 0.85 } }, 1, options).triggers).to.deep.equal(['best']);
    expect(decideEpoch(3, { loss: 0.1 }, 1, options)).to.deep.equal({ triggers: [] });
    const max = validateTrainerOptions({ monitor: 'acc', mode: 'max' });
    expect(decideEpoch(4, { acc: 0.9 }, 0.9, max).triggers).to.deep.equal([]);
    expect(decideEpoch(4, { acc: 0.91 }, 0.9, max).triggers).to.deep.equal(['best']);
  });

  it('validates its options like every plugin\'s', () => {
    const manager = new CheckpointManager({ directory: base });
    expect(() => new TrainerExportCallback(manager, { everyEpochs: 0, mode: 'avg' as 'min', extra: 1 } as object))
      .to.throw(OptionsError).with.property('message')
      .that.matches(/@modelport\/trainer-export/).and.matches(/"everyEpochs" must be >= 1/).and.matches(/"mode" must be one of "min", "max"/).and.matches(/unknown option "extra"/);
    expect(() => new TrainerExportCallback(manager, { atEnd: false })).to.throw(OptionsError, /nothing would ever be exported/);
  });
});
