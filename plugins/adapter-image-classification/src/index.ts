// The public API of @modelport/adapter-image-classification.
import { wrapImageClassifier } from './image-classifier.js';
import { OPTIONS_SCHEMA, PLUGIN_NAME, PLUGIN_VERSION, type ImageClassificationOptions } from './options.js';
import { adapterPlugin } from '@modelport/core';

export { wrapImageClassifier, BYTES_SIGNATURE, PIXELS_SIGNATURE } from './image-classifier.js';
export { topK } from './top-k.js';
export { InvalidInputError } from '@modelport/core';
export { ServingAdapterId, type AdapterContext, type ServingAdapter } from '@modelport/core';
export type { ImageClassificationOptions };
export { PLUGIN_NAME };

/** The adapter and its plugin: applied, it offers itself to servers (options = defaults for every model). */
export const imageClassification = adapterPlugin<ImageClassificationOptions>({
  name: PLUGIN_NAME,
  version: PLUGIN_VERSION,
  optionsSchema: OPTIONS_SCHEMA,
  wrap: wrapImageClassifier,
});

/** `wrap(predictor, options)`: the adapter as a function. */
export const wrap = wrapImageClassifier;
export default imageClassification;
