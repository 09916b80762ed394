// LiteRT reports failures as multi-line text mixed with INFO lines; errors quote the part that explains.

/** A multi-line LiteRT message on one line. */
export function oneLine(text: string): string {
  return text.split('\n').map((l) => l.replace(/^[\s└]+/, '').trim()).filter(Boolean).join(' ');
}

/** The lines of LiteRT's output that explain a failure, on one line. */
export function lastLines(lines: readonly string[]): string {
  const flat = lines.flatMap((l) => l.split('\n')).map((l) => l.replace(/^[\s└]+/, '').trim()).filter((l) => l && !/^(INFO|WARNING):/.test(l));
  const errors = flat.filter((l) => /error|abort|fail/i.test(l));
  return (errors.length ? errors : flat).slice(-3).join(' | ');
}
