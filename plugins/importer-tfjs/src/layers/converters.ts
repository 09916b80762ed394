import { ACTIVATION_LAYERS } from './activations.js';
import { CONVOLUTION_LAYERS } from './convolution.js';
import { DENSE_LAYERS } from './dense.js';
import { EMBEDDING_LAYERS } from './embedding.js';
import { INFERENCE_IDENTITY_LAYERS } from './inference-identity.js';
import type { LayerConverterTable } from './layer-call.js';
import { MERGE_LAYERS } from './merge.js';
import { NORMALIZATION_LAYERS } from './normalization.js';
import { POOLING_LAYERS } from './pooling.js';
import { PREPROCESSING_LAYERS } from './preprocessing.js';
import { RESHAPING_LAYERS } from './reshaping.js';
import { SPATIAL_LAYERS } from './spatial.js';

/** Every Keras layer class the importer converts, by `layer.getClassName()`. */
export const LAYER_CONVERTERS: LayerConverterTable = Object.freeze({
  ...ACTIVATION_LAYERS,
  ...DENSE_LAYERS,
  ...EMBEDDING_LAYERS,
  ...CONVOLUTION_LAYERS,
  ...POOLING_LAYERS,
  ...NORMALIZATION_LAYERS,
  ...MERGE_LAYERS,
  ...RESHAPING_LAYERS,
  ...SPATIAL_LAYERS,
  ...INFERENCE_IDENTITY_LAYERS,
  ...PREPROCESSING_LAYERS,
});

/** Layer classes with no converter and a known reason, so the error says more than "unsupported". */
export const KNOWN_REFUSALS: Readonly<Record<string, string>> = Object.freeze({
  Lambda: 'it runs arbitrary code; replace it with built-in layers',
  SimpleRNN: 'recurrent layers are not supported yet',
  LSTM: 'recurrent layers are not supported yet',
  GRU: 'recurrent layers are not supported yet',
  RNN: 'recurrent layers are not supported yet',
  ConvLSTM2D: 'recurrent layers are not supported yet',
  Bidirectional: 'recurrent wrappers are not supported yet',
  TimeDistributed: 'wrapper layers are not supported yet',
  Masking: 'masks are not carried into the graph',
  Dot: 'Dot is not supported yet',
});
