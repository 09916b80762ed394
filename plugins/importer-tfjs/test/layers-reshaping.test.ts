import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@modelport/core';
import { expectSameAsPredict, opsOf } from './layers-harness.js';

function chain(shape: (number | null)[], layers: tf.layers.Layer[]): tf.LayersModel {
  const input = tf.input({ shape });
  const output = layers.reduce<tf.SymbolicTensor>((x, l) => l.apply(x) as tf.SymbolicTensor, input);
  return tf.model({ inputs: input, outputs: output });
}

describe('layers importer: reshaping and spatial layers', () => {
  before(() => initBackend());

  it('converts Reshape (with -1 in the target), Flatten, Permute and RepeatVector', async () => {
    await expectSameAsPredict(chain([4, 6], [tf.layers.reshape({ targetShape: [2, -1, 3] }), tf.layers.permute({ dims: [3, 1, 2] })]));
    await expectSameAsPredict(chain([2, 3, 4], [tf.layers.permute({ dims: [2, 3, 1] }), tf.layers.flatten()]));
    const graph = await expectSameAsPredict(chain([5], [tf.layers.repeatVector({ n: 3 })]));
    expect(opsOf(graph)).to.deep.equal(['ExpandDims', 'Tile']);
  });

  it('reads the batch at run time to Reshape an input of unknown length', async () => {
    await expectSameAsPredict(chain([null, 4], [tf.layers.reshape({ targetShape: [-1, 2] })]), { fill: 3 });
  });

  it('emits nothing for Dropout, SpatialDropout1D, GaussianNoise/Dropout and AlphaDropout', async () => {
    const graph = await expectSameAsPredict(chain([6, 4], [
      tf.layers.dropout({ rate: 0.5 }), tf.layers.spatialDropout1d({ rate: 0.5 }), tf.layers.gaussianNoise({ stddev: 1 }),
      tf.layers.gaussianDropout({ rate: 0.3 }), tf.layers.alphaDropout({ rate: 0.3 }), tf.layers.dense({ units: 2 }),
    ]));
    expect(opsOf(graph)).to.deep.equal(['Reshape', 'MatMul', 'Reshape', 'BiasAdd']);
  });

  it('converts ZeroPadding2D to Pad and Cropping2D to StridedSlice, in both layouts', async () => {
    for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
      await expectSameAsPredict(chain([6, 7, 5], [
        tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]], dataFormat }),
        tf.layers.cropping2D({ cropping: [[2, 0], [1, 2]], dataFormat }),
      ]));
    }
  });

  it('converts UpSampling2D nearest and bilinear with tfjs\'s align_corners/half_pixel_centers (both false)', async () => {
    const graph = await expectSameAsPredict(chain([3, 4, 2], [
      tf.layers.upSampling2d({ size: [2, 3] }), tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }),
    ]));
    expect(opsOf(graph)).to.deep.equal(['ResizeNearestNeighbor', 'ResizeBilinear']);
    const bilinear = graph.nodes.find((n) => n.op === 'ResizeBilinear')!;
    expect(bilinear.attrs).to.deep.include({ align_corners: { b: false }, half_pixel_centers: { b: false } });
  });

  it('computes the UpSampling2D size at run time when the input size is unknown', async () => {
    await expectSameAsPredict(chain([null, null, 2], [tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' })]), { fill: 3 });
  });
});
