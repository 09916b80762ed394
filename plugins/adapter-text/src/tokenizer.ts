import { ModelportError } from '@modelport/core';
import { basicTokenize, type BasicTokenizerOptions } from './basic-tokenizer.js';
import { wordpieceTokenize, type Vocabulary } from './wordpiece.js';

export interface SpecialTokens {
  readonly unknown: string;
  readonly start: string;
  readonly separator: string;
  readonly padding: string;
}

export interface TokenizerOptions extends BasicTokenizerOptions {
  readonly maxCharsPerWord: number;
  readonly tokens: SpecialTokens;
}

/** BERT's FullTokenizer: basic tokenization, then WordPiece on each word; ids from the vocabulary. */
export class WordPieceTokenizer {
  private readonly special: Record<keyof SpecialTokens, number>;

  constructor(readonly vocab: Vocabulary, private readonly options: TokenizerOptions) {
    const missing = Object.entries(options.tokens).filter(([, t]) => !vocab.has(t)).map(([, t]) => t);
    if (missing.length) throw new ModelportError(`the vocabulary lacks the special token(s) ${missing.join(', ')}; set "tokens" in the adapter options`);
    this.special = Object.fromEntries(Object.entries(options.tokens).map(([k, t]) => [k, vocab.get(t)!])) as Record<keyof SpecialTokens, number>;
  }

  tokenize(text: string): string[] {
    return basicTokenize(text, this.options).flatMap((w) => wordpieceTokenize(w, this.vocab, this.options.tokens.unknown, this.options.maxCharsPerWord));
  }

  ids(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.vocab.get(t) ?? this.special.unknown);
  }

  get specialIds(): Readonly<Record<keyof SpecialTokens, number>> {
    return this.special;
  }
}
