import path from 'node:path';

// An absolute POSIX path not inside a word, a URL ("http://"), another path or one already cut ("…/x").
const ABSOLUTE_PATH = /(?<![\w.:/~…-])\/(?:[^\s"'`,;()<>/]+\/)*([^\s"'`,;()<>/]*)/g;

/**
 * Text fit for an HTTP body or a status page: no folder of the server shows. Paths under one of
 * `roots` (the repository, a version's folder) become relative to it; any other absolute path is
 * cut to its last part. The full text goes to the log.
 */
export function withoutServerPaths(text: string, roots: readonly string[]): string {
  let out = text;
  const longestFirst = [...new Set(roots.filter(Boolean).map((r) => path.resolve(r)))].sort((a, b) => b.length - a.length);
  for (const root of longestFirst) {
    if (root === path.sep) continue;
    out = out.split(root + path.sep).join('').split(root).join('.');
  }
  return out.replace(ABSOLUTE_PATH, (whole, last: string) => (whole === '/' ? whole : `…/${last}`));
}
