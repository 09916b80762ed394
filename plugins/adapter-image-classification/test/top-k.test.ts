import { expect } from 'chai';
import { topK } from '../src/index.js';

describe('top-k', () => {
  it('returns the k best classes per row, best first, ties by lower index', () => {
    const best = topK({ dtype: 'float32', shape: [2, 4], data: Float32Array.from([0.1, 0.5, 0.2, 0.2, 0.9, 0, 0.05, 0.05]) }, 3, false);
    expect(best.k).to.equal(3);
    expect([...best.classes]).to.deep.equal([1, 2, 3, 0, 2, 3]);
    expect([...best.scores].map((v) => +v.toFixed(3))).to.deep.equal([0.5, 0.2, 0.2, 0.9, 0.05, 0.05]);
  });

  it('applies softmax to logits when asked, and caps k at the number of classes', () => {
    const best = topK({ dtype: 'float32', shape: [1, 2], data: Float32Array.from([0, Math.log(3)]) }, 5, true);
    expect(best.k).to.equal(2);
    expect([...best.classes]).to.deep.equal([1, 0]);
    expect(best.scores[0]).to.be.closeTo(0.75, 1e-6);
  });
});
