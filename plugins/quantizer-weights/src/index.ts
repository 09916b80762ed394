// The public API of @modelport/quantizer-weights.
import { quantizerWeights } from './plugin.js';

export default quantizerWeights;
export { quantizerWeights, quantizeWeights, PLUGIN_NAME, optionsSchema } from './plugin.js';
export { annotateWeights, isWeightMode, WEIGHT_MODES, type WeightMode, type AnnotatedWeights } from './annotate-weights.js';
export { tfjsAffineQuantization } from './tfjs-affine.js';
export { weightSummary, weightNote } from './summary.js';
