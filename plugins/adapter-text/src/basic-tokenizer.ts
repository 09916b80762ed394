/**
 * BERT's BasicTokenizer (google-research/bert tokenization.py): clean the text, put spaces around
 * CJK ideographs, split on whitespace, lowercase and strip accents (uncased models), split
 * punctuation off. Works on code points, so characters outside the BMP count as one.
 */
export interface BasicTokenizerOptions {
  readonly lowerCase: boolean;
  readonly stripAccents: boolean;
  readonly tokenizeChineseChars: boolean;
  readonly neverSplit: ReadonlySet<string>;
}

const WHITESPACE = /^[ \t\n\r\p{Zs}]$/u;
const CONTROL = /^\p{C}$/u;
const PUNCTUATION = /^\p{P}$/u;
const MARK_NONSPACING = /\p{Mn}/gu;

export function isWhitespace(ch: string): boolean {
  return WHITESPACE.test(ch);
}

export function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return CONTROL.test(ch);
}

/** ASCII symbols count as punctuation too ($, +, ^, `…), as in BERT, though Unicode files them as S*. */
export function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return PUNCTUATION.test(ch);
}

/** The CJK Unified Ideographs blocks BERT treats as one word each (not Hangul, not kana). */
export function isChineseChar(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df)
    || (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

function cleanText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    out += isWhitespace(ch) ? ' ' : ch;
  }
  return out;
}

function spaceChineseChars(text: string): string {
  let out = '';
  for (const ch of text) out += isChineseChar(ch.codePointAt(0)!) ? ` ${ch} ` : ch;
  return out;
}

function splitOnPunctuation(token: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of token) {
    if (isPunctuation(ch)) {
      if (word) out.push(word);
      out.push(ch);
      word = '';
    } else {
      word += ch;
    }
  }
  if (word) out.push(word);
  return out;
}

const splitWhitespace = (text: string) => text.trim().split(/\s+/u).filter(Boolean);

export function basicTokenize(text: string, o: BasicTokenizerOptions): string[] {
  let cleaned = cleanText(text);
  if (o.tokenizeChineseChars) cleaned = spaceChineseChars(cleaned);
  const out: string[] = [];
  for (let token of splitWhitespace(cleaned)) {
    if (o.neverSplit.has(token)) {
      out.push(token);
      continue;
    }
    if (o.lowerCase) token = token.toLowerCase();
    if (o.stripAccents) token = token.normalize('NFD').replace(MARK_NONSPACING, '');
    out.push(...splitOnPunctuation(token));
  }
  return out;
}
