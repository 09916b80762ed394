import { expect } from 'chai';
import { argmaxRows, isClassifierShape, top1Agreement, type TensorData } from '@modelport/core';
import { measureOutput, missedTarget } from '../src/accuracy.js';

const t = (shape: number[], values: number[]): TensorData => ({ dtype: 'float32', shape, data: Float32Array.from(values) });

describe('accuracy of a quantized output', () => {
  it('counts the rows whose argmax over the last axis agrees with the reference', () => {
    const reference = t([4, 3], [0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4]);
    const actual = t([4, 3], [0.2, 0.6, 0.2, 0.2, 0.5, 0.3, 0.0, 0.2, 0.8, 0.1, 0.2, 0.7]);
    expect(Array.from(argmaxRows(reference))).to.deep.equal([1, 0, 2, 2]);
    expect(top1Agreement(actual, reference)).to.deep.equal({ agree: 3, rows: 4 });
  });

  it('treats only outputs of rank ≥ 2 with more than one class as classifier-like', () => {
    expect(isClassifierShape([8, 10])).to.equal(true);
    expect(isClassifierShape([2, 4, 4, 21])).to.equal(true);
    expect(isClassifierShape([8, 1])).to.equal(false);
    expect(isClassifierShape([10])).to.equal(false);
    expect(top1Agreement(t([3, 1], [1, 2, 3]), t([3, 1], [1, 2, 3]))).to.equal(undefined);
  });

  it('measures max |Δ|, the cosine of all samples as one vector and top-1 agreement over every sample', () => {
    const pairs = [
      { actual: t([1, 2], [1, 0]), reference: t([1, 2], [1, 0]) },
      { actual: t([1, 2], [0, 1]), reference: t([1, 2], [1, 0]) },
    ];
    const m = measureOutput('scores', pairs);
    expect(m.maxAbsDiff).to.equal(1);
    expect(m.maxAbsRef).to.equal(1);
    // actual (1,0,0,1) · reference (1,0,1,0) = 1; norms √2 and √2.
    expect(m.cosine).to.be.closeTo(0.5, 1e-12);
    expect(m.top1).to.equal(0.5);
    expect(m.rows).to.equal(2);
  });

  it('gives no top-1 for outputs that are not classifier-like, and a cosine of 0 when a shape differs', () => {
    expect(measureOutput('value', [{ actual: t([2], [1, 2]), reference: t([2], [1, 2]) }]).top1).to.equal(undefined);
    const off = measureOutput('value', [{ actual: t([1, 2], [1, 2]), reference: t([2, 1], [1, 2]) }]);
    expect(off.cosine).to.equal(0);
    expect(off.maxAbsDiff).to.equal(Infinity);
  });

  it('names the metric, the value and the target an output misses', () => {
    const m = { output: 'scores', maxAbsDiff: 0.1, maxAbsRef: 1, cosine: 0.995, top1: 0.9, rows: 10 };
    expect(missedTarget(m, { metric: 'cosine', value: 0.99 })).to.equal(undefined);
    expect(missedTarget(m, { metric: 'top1', value: 0.95 })).to.equal('top-1 agreement 0.9000 misses the accuracy target top1=0.95');
    expect(missedTarget({ ...m, top1: undefined, rows: undefined }, { metric: 'top1', value: 0.95 })).to.equal(undefined);
  });
});
