import type { Signature } from '@modelport/core';

/**
 * The signatures of a version that decode their own outputs: built from export modules with an
 * output stage (stages after "model", e.g. ["image", "model", "detection"]), as "key: a → b → c".
 * Such a version already answers what an adapter would (classes, boxes): wrapping it would decode twice.
 */
export function decodingSignatures(signatures: Readonly<Record<string, Signature>> | undefined): string[] {
  return Object.entries(signatures ?? {})
    .filter(([, s]) => !!s.stages && s.stages.indexOf('model') >= 0 && s.stages.indexOf('model') < s.stages.length - 1)
    .map(([key, s]) => `${key}: ${s.stages!.join(' → ')}`);
}
