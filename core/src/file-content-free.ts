// Error messages never quote a file's bytes: a file given in the wrong place may be a secret
// (a key, /etc/shadow) or binary that garbles the terminal.

/** Node's JSON.parse message ("Unexpected token 'r', "root:x:0:0"... is not valid JSON") without the excerpt it quotes. */
export function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/^Unexpected token /.test(message) && /is not valid JSON$/.test(message)) return 'an unexpected character where JSON was expected';
  return withoutFileContent(message);
}

/**
 * A message with quoted file content removed: JSON.parse excerpts, and control or binary
 * characters (shown as "?"), so that one line stays one readable line.
 */
export function withoutFileContent(message: string): string {
  return message
    .replace(/Unexpected token [^\n]*? is not valid JSON/g, 'an unexpected character where JSON was expected')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]+/g, '?');
}
