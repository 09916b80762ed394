import { InvalidInputError } from '@modelport/core';

/**
 * The bytes of an image sent in a string tensor: bytes as the protocols decode {"b64": …} (TF
 * Serving REST) or BYTES with content_type base64 (KServe v2), or text holding base64.
 */
export function imageBytes(value: string | Uint8Array, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (/^[A-Za-z0-9+/=\s_-]+$/.test(value)) return new Uint8Array(Buffer.from(value, 'base64'));
  throw new InvalidInputError(`${where} is text, not image bytes: send {"b64": "<base64 of the file>"}`);
}
