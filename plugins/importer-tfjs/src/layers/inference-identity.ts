import type { LayerConverter, LayerConverterTable } from './layer-call.js';

// Layers that only act while training: at inference their output is their input, so they emit
// nothing and their consumers read the input directly.
const identity: LayerConverter = { convert: (call) => [call.inputs[0]!] };

export const INFERENCE_IDENTITY_LAYERS: LayerConverterTable = {
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  ActivityRegularization: identity,
};
