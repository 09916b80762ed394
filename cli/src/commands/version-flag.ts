import { OptionsError } from '@modelport/core';

/**
 * `--version N`: a version is a folder name servers read as a number, so only 1, 2, 3… up to
 * 2^53-1 (past that JavaScript writes "1e+21" and no server finds it).
 */
export function parseVersionFlag(value: string): number {
  const text = value.trim();
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new OptionsError(`--version "${value}": a version is a whole number from 1 to ${Number.MAX_SAFE_INTEGER} (1, 2, 3…)`);
  }
  return n;
}
