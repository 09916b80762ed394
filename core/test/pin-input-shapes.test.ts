import { expect } from 'chai';
import { GraphBuilder, OptionsError, ORIGINAL_INPUT_SHAPES_KEY, parseInputShapeFlag, pinInputShapes, placeholderTensor, type Graph } from '@modelport/core';

function twoInputs(): Graph {
  const b = new GraphBuilder();
  const image = b.input('image', 'float32', [-1, -1, -1, 3]);
  const mask = b.input('mask', 'float32', [-1, 8]);
  return b.outputs(b.node('relu', { op: 'Relu', inputs: [image] }), b.node('sig', { op: 'Sigmoid', inputs: [mask] }))
    .signature('serving_default', {
      inputs: { pixels: { name: 'image:0', dtype: 'float32', shape: [-1, -1, -1, 3] }, mask: { name: 'mask:0', dtype: 'float32', shape: [-1, 8] } },
      outputs: { out: { name: 'relu:0', dtype: 'float32', shape: [-1, -1, -1, 3] } },
    }).build();
}

describe('pinInputShapes', () => {
  it('pins by signature name or node name, keeps -1, and records the original shapes', () => {
    const g = pinInputShapes(twoInputs(), { pixels: [1, 64, -1, 3], 'mask:0': [2, -1] });
    expect(placeholderTensor(g.nodes.find((n) => n.name === 'image')!).shape).to.deep.equal([1, 64, -1, 3]);
    expect(g.signatures.serving_default!.inputs.pixels!.shape).to.deep.equal([1, 64, -1, 3]);
    expect(g.signatures.serving_default!.inputs.mask!.shape).to.deep.equal([2, 8]);
    expect(g.metadata[ORIGINAL_INPUT_SHAPES_KEY]).to.deep.equal({ image: [-1, -1, -1, 3], mask: [-1, 8] });
  });

  it('names the real inputs when the name is unknown', () => {
    expect(() => pinInputShapes(twoInputs(), { picture: [1, 2, 2, 3] })).to.throw(OptionsError, /no input "picture"; its inputs are image or pixels, mask/);
  });

  it('refuses a wrong rank, naming both', () => {
    expect(() => pinInputShapes(twoInputs(), { image: [1, 64, 64] })).to.throw(OptionsError, /image: the model's input has rank 4 \[-1,-1,-1,3\], the given shape \[1,64,64\] has rank 3/);
  });

  it('refuses a value that contradicts a fixed dimension, naming the axis', () => {
    expect(() => pinInputShapes(twoInputs(), { image: [1, 64, 64, 4] })).to.throw(OptionsError, /image: axis 3 is fixed to 3 by the model \[-1,-1,-1,3\]; 4 contradicts it/);
  });

  it('refuses negative values other than -1 and non-integers', () => {
    expect(() => pinInputShapes(twoInputs(), { image: [1, -2, 64, 3] })).to.throw(OptionsError, /whole numbers ≥ 0, or -1.*got -2/);
    expect(() => parseInputShapeFlag('image=1,6.5,64,3')).to.throw(OptionsError, /got "6\.5"/);
    expect(() => parseInputShapeFlag('image=1,x,64,3')).to.throw(OptionsError, /got "x"/);
  });

  it('refuses an unnamed shape for a model with several inputs, showing the flag to use', () => {
    expect(() => pinInputShapes(twoInputs(), { '': [1, 64, 64, 3] })).to.throw(OptionsError, /has 2 inputs \(image, mask\): name the one to shape, e.g. --input-shape image=/);
  });

  it('parses the flag forms', () => {
    expect(parseInputShapeFlag('input_1:0=1,224,224,3')).to.deep.equal(['input_1:0', [1, 224, 224, 3]]);
    expect(parseInputShapeFlag('1,-1,-1,3')).to.deep.equal(['', [1, -1, -1, 3]]);
    expect(parseInputShapeFlag('ratio=')).to.deep.equal(['ratio', []]);
  });
});
