import { expect } from 'chai';
import { asUint8, asymmetricParams, dequantizeValues, quantizeValues, type Signature, type TensorData } from '@modelport/core';
import { edgeFeeds, realValuedOutputs, realValuedSignature } from '../src/integer-edges.js';

// An int8-full signature with uint8 edges, as the int8 quantizer writes it: the int8 parameters with the zero point + 128.
const inputQ = asUint8(asymmetricParams(-1, 3));
const outputQ = asUint8({ dtype: 'int8', scale: [1 / 256], zeroPoint: [-128] });
const signature: Signature = {
  inputs: {
    image: { name: 'image:0', dtype: 'uint8', shape: [1, 4], quantization: inputQ },
    mask: { name: 'mask:0', dtype: 'float32', shape: [1, 4] },
  },
  outputs: { scores: { name: 'scores:0', dtype: 'uint8', shape: [1, 3], quantization: outputQ } },
};

describe('integer edges of a quantized signature', () => {
  const image: TensorData = { dtype: 'float32', shape: [1, 4], data: Float32Array.from([-0.5, 0, 1.234, 2.9]) };
  const mask: TensorData = { dtype: 'float32', shape: [1, 4], data: Float32Array.from([1, 0, 1, 0]) };

  it('feeds the artifact the quantized integers and the source their real values', () => {
    const feeds = edgeFeeds(signature, { image, mask });
    const q = quantizeValues(image.data as Float32Array, image.shape, inputQ);
    expect(feeds.artifact.image!.dtype).to.equal('uint8');
    expect(feeds.artifact.image!.data).to.be.instanceOf(Uint8Array);
    expect(Array.from(feeds.artifact.image!.data as Uint8Array)).to.deep.equal(Array.from(q));
    expect(feeds.source.image!.dtype).to.equal('float32');
    expect(Array.from(feeds.source.image!.data as Float32Array)).to.deep.equal(Array.from(dequantizeValues(q, [1, 4], inputQ)));
    // Both sides see the same numbers, one rounding step away from the given floats.
    const source = feeds.source.image!.data as Float32Array;
    (image.data as Float32Array).forEach((v, i) => expect(Math.abs(source[i]! - v)).to.be.at.most(inputQ.scale[0]! / 2 + 1e-7));
    expect(feeds.artifact.mask).to.equal(mask);
    expect(feeds.source.mask).to.equal(mask);
  });

  it('takes inputs given already as integers of the edge type as they are', () => {
    const given: TensorData = { dtype: 'uint8', shape: [1, 4], data: Uint8Array.from([0, 32, 64, 255]) };
    const feeds = edgeFeeds(signature, { image: given, mask });
    expect(Array.from(feeds.artifact.image!.data as Uint8Array)).to.deep.equal([0, 32, 64, 255]);
    expect(Array.from(feeds.source.image!.data as Float32Array)).to.deep.equal(Array.from(dequantizeValues([0, 32, 64, 255], [1, 4], inputQ)));
  });

  it('reads integer outputs back as real values with the output parameters', () => {
    const out = realValuedOutputs(signature, { scores: { dtype: 'uint8', shape: [1, 3], data: Uint8Array.from([0, 128, 255]) } });
    expect(out.scores!.dtype).to.equal('float32');
    expect(Array.from(out.scores!.data as Float32Array)).to.deep.equal([0, 0.5, 255 / 256]);
  });

  it('shows callers a float signature for generating or reading inputs', () => {
    const real = realValuedSignature(signature);
    expect(real.inputs.image!.dtype).to.equal('float32');
    expect(real.inputs.mask!.dtype).to.equal('float32');
    expect(signature.inputs.image!.dtype).to.equal('uint8');
  });
});
