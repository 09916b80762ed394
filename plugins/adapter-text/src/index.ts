// The public API of @modelport/adapter-text.
import { OPTIONS_SCHEMA, PLUGIN_NAME, PLUGIN_VERSION, type TextOptions } from './options.js';
import { adapterPlugin } from '@modelport/core';
import { wrapTextModel } from './text-adapter.js';

export { wrapTextModel, tokenizerFor, TEXT_SIGNATURE, PAIR_SIGNATURE } from './text-adapter.js';
export { WordPieceTokenizer, type SpecialTokens, type TokenizerOptions } from './tokenizer.js';
export { basicTokenize, isChineseChar, isPunctuation, type BasicTokenizerOptions } from './basic-tokenizer.js';
export { wordpieceTokenize, readVocabulary, type Vocabulary } from './wordpiece.js';
export { packSegments, truncatePair, type PackedInputs } from './packing.js';
export { InvalidInputError } from '@modelport/core';
export { ServingAdapterId, type AdapterContext, type ServingAdapter } from '@modelport/core';
export type { TextOptions };
export { PLUGIN_NAME };

/** The adapter and its plugin: applied, it offers itself to servers (options = defaults for every model). */
export const text = adapterPlugin<TextOptions>({
  name: PLUGIN_NAME,
  version: PLUGIN_VERSION,
  optionsSchema: OPTIONS_SCHEMA,
  wrap: wrapTextModel,
});

/** `wrap(predictor, options)`: the adapter as a function. */
export const wrap = wrapTextModel;
export default text;
