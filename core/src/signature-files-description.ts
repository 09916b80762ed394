import path from 'node:path';
import type { ArtifactDescription, DescribedSignature } from './artifact-description.js';
import { ModelLoadError } from './errors.js';
import type { SignatureFiles } from './graph/signature-graph.js';

/**
 * The description of an artifact whose main file indexes one file per signature: every signature
 * described from its own file (`describeFile`), with its stages; ops and size summed over the files,
 * which the details list. `main` is the main file's own description, reused when an entry names it.
 */
export async function describeSignatureFiles(
  file: string, main: ArtifactDescription, index: SignatureFiles, describeFile: (file: string) => Promise<ArtifactDescription>,
): Promise<ArtifactDescription> {
  const signatures: Record<string, DescribedSignature> = {};
  const ops: Record<string, number> = { ...main.ops };
  let size = main.size;
  for (const [key, entry] of Object.entries(index)) {
    const own = path.resolve(path.dirname(file), entry.file);
    const d = own === path.resolve(file) ? main : await describeFile(own);
    if (d !== main) {
      size += d.size;
      for (const [op, n] of Object.entries(d.ops)) ops[op] = (ops[op] ?? 0) + n;
    }
    // A signature file holds one signature, kept under the default key.
    const sig = d.signatures.serving_default ?? Object.values(d.signatures)[0];
    if (!sig) throw new ModelLoadError(`the file of signature "${key}" has no signature`, { file: own });
    signatures[key] = { ...sig, ...(entry.stages ? { stages: entry.stages } : {}), file: entry.file };
  }
  return { ...main, signatures, ops, size, details: [...main.details, { label: 'files', value: Object.values(index).map((e) => e.file).join(', ') }] };
}
