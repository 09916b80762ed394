import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { basicTokenize, readVocabulary, tokenizerFor, wordpieceTokenize } from '../src/index.js';

// The cases of google-research/bert's tokenization_test.py, with its vocabulary.
const BERT_TEST_VOCAB = ['[UNK]', '[CLS]', '[SEP]', 'want', '##want', '##ed', 'wa', 'un', 'runn', '##ing', ','];
const uncased = { lowerCase: true, stripAccents: true, tokenizeChineseChars: true, neverSplit: new Set<string>() };
const cased = { ...uncased, lowerCase: false, stripAccents: false };

describe('BERT basic tokenizer', () => {
  it('lowercases, splits punctuation and whitespace (uncased)', () => {
    expect(basicTokenize(' \tHeLLo!how  \n Are yoU?  ', uncased)).to.deep.equal(['hello', '!', 'how', 'are', 'you', '?']);
  });

  it('strips accents when lowercasing, keeps case and accents when cased', () => {
    expect(basicTokenize('H\u00E9llo', uncased)).to.deep.equal(['hello']);
    expect(basicTokenize(' \tHeLLo!how  \n Are yoU?  ', cased)).to.deep.equal(['HeLLo', '!', 'how', 'Are', 'yoU', '?']);
    expect(basicTokenize('Caf\u00E9', cased)).to.deep.equal(['Caf\u00E9']);
  });

  it('makes each CJK ideograph a word, but not Hangul or kana', () => {
    expect(basicTokenize('ah\u535A\u63A8zz', uncased)).to.deep.equal(['ah', '\u535A', '\u63A8', 'zz']);
    expect(basicTokenize('\uD55C\uAD6D\uC5B4 \u3072\u3089', cased)).to.deep.equal(['\uD55C\uAD6D\uC5B4', '\u3072\u3089']);
    // Uncased BERT's accent stripping (NFD) leaves Hangul as jamo: vocabularies are built that way.
    expect(basicTokenize('\uD55C\uAD6D\uC5B4', uncased)).to.deep.equal(['\uD55C\uAD6D\uC5B4'.normalize('NFD')]);
  });

  it('drops control characters, treats ASCII symbols as punctuation, keeps never-split tokens', () => {
    expect(basicTokenize('a\u0000b\u200Bc $5+x', uncased)).to.deep.equal(['abc', '$', '5', '+', 'x']);
    expect(basicTokenize('[CLS] hi [MASK]', { ...uncased, neverSplit: new Set(['[MASK]']) })).to.deep.equal(['[', 'cls', ']', 'hi', '[MASK]']);
  });
});

describe('WordPiece', () => {
  const vocab = new Map(BERT_TEST_VOCAB.map((t, i) => [t, i]));
  const pieces = (text: string) => text.split(' ').filter(Boolean).flatMap((w) => wordpieceTokenize(w, vocab, '[UNK]', 100));

  it('matches longest pieces first, marking continuations with ##', () => {
    expect(pieces('')).to.deep.equal([]);
    expect(pieces('unwanted running')).to.deep.equal(['un', '##want', '##ed', 'runn', '##ing']);
  });

  it('makes a word with an uncovered part, or too long a word, the unknown token as a whole', () => {
    expect(pieces('unwantedX running')).to.deep.equal(['[UNK]', 'runn', '##ing']);
    expect(wordpieceTokenize('want'.repeat(30), vocab, '[UNK]', 100)).to.deep.equal(['[UNK]']);
  });

  it('reads a vocab.txt and tokenizes with ids, as BERT\'s FullTokenizer', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-vocab-'));
    try {
      await fs.writeFile(path.join(dir, 'vocab.txt'), `${[...BERT_TEST_VOCAB, '[PAD]'].join('\n')}\n`);
      expect(readVocabulary(path.join(dir, 'vocab.txt')).get('[PAD]')).to.equal(11);
      const tokenizer = tokenizerFor({ vocab: 'vocab.txt' }, (f) => path.join(dir, f));
      const tokens = tokenizer.tokenize('UNwant\u00E9d,running');
      expect(tokens).to.deep.equal(['un', '##want', '##ed', ',', 'runn', '##ing']);
      expect(tokenizer.ids(tokens)).to.deep.equal([7, 4, 5, 10, 8, 9]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
