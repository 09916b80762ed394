import { expect } from 'chai';
import { metricValue, planRetention, type Metrics, type RetainedCheckpoint } from '@modelport/checkpoint-manager';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');

function checkpoints(specs: readonly { v: number; h?: number; loss?: number }[]): RetainedCheckpoint[] {
  return specs.map(({ v, h = v / 100, loss }) => ({ version: v, step: v, time: new Date(T0 + h * HOUR).toISOString(), metrics: (loss === undefined ? {} : { val: { loss } }) as Metrics }));
}

describe('planRetention', () => {
  it('keeps everything when maxToKeep is not set', () => {
    const plan = planRetention(checkpoints([{ v: 1 }, { v: 2 }, { v: 3 }]), { keepBest: { metric: 'val.loss', mode: 'min', count: 1 } });
    expect(plan.remove).to.deep.equal([]);
  });

  it('keeps the newest maxToKeep by version', () => {
    const plan = planRetention(checkpoints([{ v: 1 }, { v: 2 }, { v: 3 }, { v: 4 }]), { maxToKeep: 2 });
    expect(plan.remove).to.deep.equal([1, 2]);
    expect(plan.keep.get(4)).to.deep.equal(['latest']);
  });

  it('keeps the best K by a nested metric in either mode, ties to the earlier version', () => {
    const list = checkpoints([{ v: 1, loss: 0.5 }, { v: 2, loss: 0.2 }, { v: 3, loss: 0.2 }, { v: 4, loss: 0.9 }, { v: 5 }, { v: 6, loss: 0.7 }]);
    const min = planRetention(list, { maxToKeep: 1, keepBest: { metric: 'val.loss', mode: 'min', count: 1 } });
    expect(min.remove).to.deep.equal([1, 3, 4, 5]);
    expect(min.keep.get(2)).to.deep.equal(['best']);
    const max = planRetention(list, { maxToKeep: 1, keepBest: { metric: 'val.loss', mode: 'max', count: 2 } });
    expect([...max.keep.keys()].sort()).to.deep.equal([4, 6]);
    expect(max.keep.get(6)).to.deep.equal(['latest', 'best']);
  });

  it('never removes a protected version (the one being written)', () => {
    const plan = planRetention(checkpoints([{ v: 1 }, { v: 2 }, { v: 3 }]), { maxToKeep: 1 }, [2]);
    expect(plan.remove).to.deep.equal([1]);
    expect(plan.keep.get(2)).to.deep.equal(['writing']);
  });

  it('keeps the first checkpoint of every N-hour period, the same way on every run', () => {
    // hours: 0, 0.5, 1.2, 1.5, 2.3, 2.9, 3.0 with N = 1: periods 0,0,1,1,2,2,3 → first of each: v1, v3, v5, v7
    const hours = [0, 0.5, 1.2, 1.5, 2.3, 2.9, 3.0];
    const all = checkpoints(hours.map((h, i) => ({ v: i + 1, h })));
    const once = planRetention(all, { maxToKeep: 1, keepCheckpointEveryNHours: 1 });
    expect(once.remove).to.deep.equal([2, 4, 6]);
    // Applied after every save instead, with removed ones gone: the same survivors.
    let kept: RetainedCheckpoint[] = [];
    for (const c of all) {
      kept = [...kept, c];
      const plan = planRetention(kept, { maxToKeep: 1, keepCheckpointEveryNHours: 1 }, [c.version]);
      kept = kept.filter((k) => !plan.remove.includes(k.version));
    }
    expect(kept.map((c) => c.version)).to.deep.equal([1, 3, 5, 7]);
  });
});

describe('metricValue', () => {
  it('reads flat names first, then dotted paths into nested metrics', () => {
    expect(metricValue({ val_loss: 1, val: { loss: 2 } }, 'val_loss')).to.equal(1);
    expect(metricValue({ val: { loss: 2 } }, 'val.loss')).to.equal(2);
    expect(metricValue({ 'val.loss': 3, val: { loss: 2 } }, 'val.loss')).to.equal(3);
    expect(metricValue({ val: { loss: null } }, 'val.loss')).to.equal(undefined);
    expect(metricValue({}, 'loss')).to.equal(undefined);
  });
});
