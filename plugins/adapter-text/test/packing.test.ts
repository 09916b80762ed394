import { expect } from 'chai';
import { packSegments, truncatePair } from '../src/index.js';

const IDS = { start: 101, separator: 102, padding: 0 };

describe('packing into input_word_ids, input_mask, input_type_ids', () => {
  it('packs one segment as [CLS] a [SEP] and pads', () => {
    const p = packSegments([5, 6], undefined, 6, IDS);
    expect([...p.wordIds]).to.deep.equal([101, 5, 6, 102, 0, 0]);
    expect([...p.mask]).to.deep.equal([1, 1, 1, 1, 0, 0]);
    expect([...p.typeIds]).to.deep.equal([0, 0, 0, 0, 0, 0]);
  });

  it('packs a pair as [CLS] a [SEP] b [SEP], the second segment with type 1', () => {
    const p = packSegments([5], [7, 8], 7, IDS);
    expect([...p.wordIds]).to.deep.equal([101, 5, 102, 7, 8, 102, 0]);
    expect([...p.mask]).to.deep.equal([1, 1, 1, 1, 1, 1, 0]);
    expect([...p.typeIds]).to.deep.equal([0, 0, 0, 1, 1, 1, 0]);
  });

  it('truncates the longer segment first so that both keep tokens', () => {
    expect(truncatePair([1, 2, 3, 4, 5, 6], [7, 8], 5)).to.deep.equal([[1, 2, 3], [7, 8]]);
    expect(truncatePair([1, 2], [3, 4, 5, 6, 7], 4)).to.deep.equal([[1, 2], [3, 4]]);
    const p = packSegments([1, 2, 3, 4, 5, 6, 7, 8, 9], undefined, 5, IDS);
    expect([...p.wordIds]).to.deep.equal([101, 1, 2, 3, 102]);
  });
});
