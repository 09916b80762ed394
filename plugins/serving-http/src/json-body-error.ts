/**
 * What is wrong with a request body JSON.parse refused, in the product's words and without quoting
 * the body (the engine's message echoes bytes of it, control characters included). The "JSON Parse
 * error" prefix is TF Serving's own.
 */
export function jsonBodyError(error: unknown, bodyLength: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const offset = /position (\d+)/.exec(message)?.[1];
  if (/Unexpected end of JSON input|Unterminated/.test(message) || (offset !== undefined && Number(offset) >= bodyLength)) {
    return 'JSON Parse error: the request body ends before its JSON value is complete';
  }
  return `JSON Parse error: the request body is not valid JSON${offset ? ` (at offset ${offset})` : ''}`;
}
