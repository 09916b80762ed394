import { expect } from 'chai';
import { quantizeWeightsFilter } from '../src/index.js';

describe('quantizeWeightsFilter', () => {
  it('selects every weight without patterns', () => {
    expect(quantizeWeightsFilter(undefined)('anything/at.all')).to.equal(true);
  });

  it('matches whole names, * as any run of characters, other characters literally', () => {
    const selected = quantizeWeightsFilter(['conv*', 'dense/kernel', 'a.b']);
    expect(['conv1/weights', 'conv', 'dense/kernel', 'a.b'].map(selected)).to.deep.equal([true, true, true, true]);
    expect(['my_conv1', 'dense/kernel_1', 'axb', 'dense'].map(selected)).to.deep.equal([false, false, false, false]);
  });
});
