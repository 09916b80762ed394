import { expect } from 'chai';
import type { TensorData } from '@modelport/core';
import { unmatchedRankedRow } from '../support/ranked-rows.js';

const tensor = (shape: number[], data: number[]): TensorData => ({ dtype: 'float32', shape, data: Float32Array.from(data) });
const ranked = { scores: 'scores', rows: ['boxes'] };
const source = { scores: tensor([1, 3], [0.9, 0.5, 0.5000001]), boxes: tensor([1, 3, 2], [1, 1, 2, 2, 3, 3]) };

// The open-dimensions test's rule for detections: only near-tied rows may change places.
describe('ranked detection rows (the open-dimensions judge)', () => {
  it('accepts two rows of near-equal score in the other order', () => {
    const swapped = { scores: tensor([1, 3], [0.9, 0.5000001, 0.5]), boxes: tensor([1, 3, 2], [1, 1, 3, 3, 2, 2]) };
    expect(unmatchedRankedRow(ranked, swapped, source, 1e-4)).to.equal(undefined);
  });

  it('refuses rows of distinct scores in another order, though each (score, box) pair is the source\'s', () => {
    const reordered = { scores: tensor([1, 3], [0.5, 0.9, 0.5000001]), boxes: tensor([1, 3, 2], [2, 2, 1, 1, 3, 3]) };
    expect(unmatchedRankedRow(ranked, reordered, source, 1e-4)).to.match(/^row 0 \(score 0\.5\) matches no source row/);
  });

  it('refuses a box that differs by more than the tolerance', () => {
    const moved = { scores: tensor([1, 3], [0.9, 0.5, 0.5000001]), boxes: tensor([1, 3, 2], [1, 1, 2, 2, 3, 3.1]) };
    expect(unmatchedRankedRow(ranked, moved, source, 1e-4)).to.match(/^row 2 /);
  });
});
