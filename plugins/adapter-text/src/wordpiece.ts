import { readFileSync } from 'node:fs';
import { ModelportError } from '@modelport/core';

/** Token → id, the id being the line number in vocab.txt. */
export type Vocabulary = ReadonlyMap<string, number>;

export function readVocabulary(file: string): Vocabulary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelportError(`cannot read the vocabulary: ${(e as Error).message}`, { file });
  }
  const vocab = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, id) => {
    const token = line.trim();
    if (!vocab.has(token)) vocab.set(token, id);
  });
  if (vocab.size === 0) throw new ModelportError('the vocabulary is empty', { file });
  return vocab;
}

/**
 * WordPiece: greedy longest-match-first over each word, continuation pieces prefixed "##"; a word
 * with a part no piece covers, or longer than maxChars, is the unknown token as a whole.
 */
export function wordpieceTokenize(word: string, vocab: Vocabulary, unknown: string, maxChars: number): string[] {
  const chars = [...word];
  if (chars.length > maxChars) return [unknown];
  const pieces: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = chars.length;
    let piece: string | undefined;
    while (start < end) {
      const candidate = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
      if (vocab.has(candidate)) {
        piece = candidate;
        break;
      }
      end--;
    }
    if (piece === undefined) return [unknown];
    pieces.push(piece);
    start = end;
  }
  return pieces;
}
