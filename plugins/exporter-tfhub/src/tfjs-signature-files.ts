import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Signature } from '@modelport/core';
import type { TfjsSignatureFile } from './model-card.js';

interface ModelJsonSignature {
  readonly inputs?: Readonly<Record<string, { readonly name: string }>>;
  readonly outputs?: Readonly<Record<string, { readonly name: string }>>;
}

/**
 * Each signature's model.json in the written tfjs folder (the tfjs record's details.signatures for a
 * graph of several, else model.json) and the tensor names its `signature` block gives: the card's
 * snippet feeds and fetches those, since tfjs execute() takes node names, not signature keys.
 */
export async function readTfjsSignatureFiles(
  folder: string, signatures: Readonly<Record<string, Signature>>, details: Readonly<Record<string, unknown>> | undefined,
): Promise<Record<string, TfjsSignatureFile>> {
  const index = details?.signatures as Record<string, string> | undefined;
  const files = index
    ? Object.entries(index).map(([k, f]) => [k, path.posix.normalize(f)] as const)
    : Object.keys(signatures).slice(0, 1).map((k) => [k, 'model.json'] as const);
  const out: Record<string, TfjsSignatureFile> = {};
  for (const [key, file] of files) {
    const json = JSON.parse(await fs.readFile(path.join(folder, file), 'utf8')) as { signature?: ModelJsonSignature };
    const names = (side?: ModelJsonSignature['inputs']) => Object.fromEntries(Object.entries(side ?? {}).map(([k, t]) => [k, t.name]));
    out[key] = { file, inputs: names(json.signature?.inputs), outputs: names(json.signature?.outputs) };
  }
  return out;
}
