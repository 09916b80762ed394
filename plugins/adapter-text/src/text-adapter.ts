import { ModelportError, type DType, type Predictor, type Signature, type TensorData } from '@modelport/core';
import { InvalidInputError } from '@modelport/core';
import type { TextOptions } from './options.js';
import { packSegments, type PackedInputs } from './packing.js';
import { resolveWith, type AdapterContext } from '@modelport/core';
import { WordPieceTokenizer } from './tokenizer.js';
import { readVocabulary } from './wordpiece.js';

export const TEXT_SIGNATURE = 'serving_default';
export const PAIR_SIGNATURE = 'serving_pairs';

/** The tokenizer an options object describes, BERT's defaults filled in. */
export function tokenizerFor(options: TextOptions, resolve: (file: string) => string): WordPieceTokenizer {
  if (!options.vocab) throw new ModelportError('the text adapter needs "vocab": the vocab.txt the model was trained with');
  const lowerCase = options.lowerCase ?? true;
  return new WordPieceTokenizer(readVocabulary(resolve(options.vocab)), {
    lowerCase,
    stripAccents: options.stripAccents ?? lowerCase,
    tokenizeChineseChars: options.tokenizeChineseChars ?? true,
    neverSplit: new Set(options.neverSplit ?? []),
    maxCharsPerWord: options.maxCharsPerWord ?? 100,
    tokens: { unknown: '[UNK]', start: '[CLS]', separator: '[SEP]', padding: '[PAD]', ...options.tokens },
  });
}

function column(values: readonly Int32Array[], dtype: string, length: number): TensorData {
  const n = values.length;
  const flat = new Int32Array(n * length);
  values.forEach((v, i) => flat.set(v, i * length));
  if (dtype === 'int64') return { dtype, shape: [n, length], data: BigInt64Array.from(flat, (v) => BigInt(v)) };
  if (dtype === 'float32') return { dtype, shape: [n, length], data: Float32Array.from(flat) };
  return { dtype: dtype as DType, shape: [n, length], data: flat };
}

function texts(t: TensorData | undefined, name: string): string[] {
  if (!t || t.dtype !== 'string') throw new InvalidInputError(`input "${name}" (a string tensor of texts) is missing`);
  if (t.shape.length > 1) throw new InvalidInputError(`input "${name}" must be a list of texts, got shape [${t.shape.join(', ')}]`);
  return (t.data as readonly (string | Uint8Array)[]).map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8')));
}

/**
 * Wraps a BERT-style model: raw strings in (`text`, or `text` and `text_pair` with the
 * serving_pairs signature), WordPiece-tokenised and packed to the model's input_word_ids,
 * input_mask and input_type_ids of sequenceLength; the model's outputs out unchanged.
 */
export function wrapTextModel(predictor: Predictor, options: TextOptions = {}, context?: AdapterContext): Predictor {
  const key = options.signature ?? 'serving_default';
  const sig = predictor.signatures[key];
  if (!sig) throw new ModelportError(`the model has no signature "${key}" (it has ${Object.keys(predictor.signatures).join(', ')})`);
  const names = { wordIds: 'input_word_ids', mask: 'input_mask', typeIds: 'input_type_ids', ...options.inputNames };
  const wordIdsSpec = sig.inputs[names.wordIds];
  if (!wordIdsSpec) throw new ModelportError(`the model has no input "${names.wordIds}" (it has ${Object.keys(sig.inputs).join(', ')}): set "inputNames"`);
  const others = Object.keys(sig.inputs).filter((n) => !Object.values(names).includes(n));
  if (others.length) throw new ModelportError(`the model has inputs the text adapter cannot fill: ${others.join(', ')}`);
  const fixed = wordIdsSpec.shape && wordIdsSpec.shape.length === 2 && wordIdsSpec.shape[1]! > 0 ? wordIdsSpec.shape[1] : undefined;
  const length = options.sequenceLength ?? fixed ?? 128;
  if (fixed && fixed !== length) throw new ModelportError(`sequenceLength ${length} does not fit the model, whose inputs have length ${fixed}`);
  const tokenizer = tokenizerFor(options, resolveWith(context));
  const special = tokenizer.specialIds;

  const text = { name: 'text:0', dtype: 'string', shape: [-1] };
  const signatures: Record<string, Signature> = {
    [TEXT_SIGNATURE]: { inputs: { text }, outputs: sig.outputs, methodName: 'tensorflow/serving/predict' },
    [PAIR_SIGNATURE]: { inputs: { text, text_pair: { name: 'text_pair:0', dtype: 'string', shape: [-1] } }, outputs: sig.outputs, methodName: 'tensorflow/serving/predict' },
  };

  return {
    format: predictor.format,
    signatures,
    async predict(inputs, signature = TEXT_SIGNATURE) {
      if (signature !== TEXT_SIGNATURE && signature !== PAIR_SIGNATURE) throw new InvalidInputError(`no signature "${signature}"; use ${TEXT_SIGNATURE} or ${PAIR_SIGNATURE}`);
      const first = texts(inputs.text, 'text');
      const second = signature === PAIR_SIGNATURE ? texts(inputs.text_pair, 'text_pair') : undefined;
      if (second && second.length !== first.length) throw new InvalidInputError(`"text" has ${first.length} texts but "text_pair" has ${second.length}`);
      if (first.length === 0) throw new InvalidInputError('input "text" is empty');
      const packed: PackedInputs[] = first.map((a, i) => packSegments(
        tokenizer.ids(tokenizer.tokenize(a)), second ? tokenizer.ids(tokenizer.tokenize(second[i]!)) : undefined, length, special));
      const feeds: Record<string, TensorData> = { [names.wordIds]: column(packed.map((p) => p.wordIds), String(wordIdsSpec.dtype), length) };
      if (sig.inputs[names.mask]) feeds[names.mask] = column(packed.map((p) => p.mask), String(sig.inputs[names.mask]!.dtype), length);
      if (sig.inputs[names.typeIds]) feeds[names.typeIds] = column(packed.map((p) => p.typeIds), String(sig.inputs[names.typeIds]!.dtype), length);
      return predictor.predict(feeds, key);
    },
    dispose: () => predictor.dispose(),
  };
}
