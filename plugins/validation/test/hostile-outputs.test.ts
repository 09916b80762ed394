import { expect } from 'chai';
import type { Signature, TensorData } from '@modelport/core';
import { MAX_VALIDATION_VALUES, oversizedInputs } from '../src/input-bound.js';
import { nonFiniteOutputNotes } from '../src/non-finite.js';

const tensor = (values: number[]): TensorData => ({ dtype: 'float32', shape: [values.length], data: Float32Array.from(values) });

describe('validation: outputs and inputs it cannot judge', () => {
  it('warns for each source output that is all NaN or ±Infinity, and only for those', () => {
    const notes = nonFiniteOutputNotes({
      nan: tensor([NaN, NaN]), inf: tensor([Infinity, -Infinity]), mixed: tensor([NaN, Infinity]), partly: tensor([NaN, 1]), fine: tensor([0, 1]),
    });
    expect(notes).to.have.length(3);
    expect(notes[0]).to.equal('warning: the source\'s output "nan" is all NaN (2 values) on the validation inputs, so validation compared nothing; check the model\'s weights');
    expect(notes[1]).to.match(/output "inf" is all ±Infinity \(2 values\)/);
    expect(notes[2]).to.match(/output "mixed" is all NaN or ±Infinity/);
  });

  it('skips validation when the inputs would hold more values than the bound, saying which and why', () => {
    const signature = (shape: number[]): Signature => ({ inputs: { image: { name: 'image:0', dtype: 'float32', shape } }, outputs: {} });
    expect(oversizedInputs(signature([-1, 224, 224, 3]), 1)).to.equal(undefined);
    expect(oversizedInputs(signature([Math.floor(MAX_VALIDATION_VALUES / 3072), 32, 32, 3]), 1)).to.equal(undefined);
    expect(oversizedInputs(signature([100000, 32, 32, 3]), 1)).to.match(/^validation skipped: the inputs \(image \[100000,32,32,3\]\) hold 307200000 values, past the bound of 16777216/);
  });
});
