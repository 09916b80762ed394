import { promises as fs } from 'node:fs';
import path from 'node:path';
import { digestFile, EXPORT_MANIFEST, listFiles, ModelportError, type ArtifactRecord, type FileDigest } from '@modelport/core';

/** The parts of a version's export.json that checkpoints read. */
export interface ExportManifest {
  readonly version: number;
  readonly model?: string;
  readonly createdAt?: string;
  readonly targets?: readonly ArtifactRecord[];
  readonly options?: { readonly metadata?: Readonly<Record<string, unknown>> };
  readonly files: Readonly<Record<string, FileDigest>>;
}

/** Reads and parses `<dir>/export.json`; errors name the file. */
export async function readExportManifest(dir: string): Promise<ExportManifest> {
  const file = path.join(dir, EXPORT_MANIFEST);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelportError(code === 'ENOENT' ? 'no export.json: not a complete modelport version (or it was deleted meanwhile)' : `cannot read: ${(e as Error).message}`, { file }, { cause: e });
  }
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(text) as ExportManifest;
  } catch (e) {
    throw new ModelportError(`export.json is not valid JSON (${(e as Error).message})`, { file }, { cause: e });
  }
  if (!manifest || typeof manifest !== 'object' || typeof manifest.files !== 'object' || manifest.files === null) {
    throw new ModelportError('export.json has no "files" digests', { file });
  }
  return manifest;
}

export interface VersionCheck {
  readonly dir: string;
  readonly ok: boolean;
  /** One line per problem, naming the file. */
  readonly problems: readonly string[];
}

/**
 * Checks a version against its export.json: every listed file exists with its sha256 and size, and
 * no other file is there. This is what "complete" means for a version.
 */
export async function verifyVersion(dir: string): Promise<VersionCheck> {
  const problems: string[] = [];
  let manifest: ExportManifest;
  try {
    manifest = await readExportManifest(dir);
  } catch (e) {
    return { dir, ok: false, problems: [(e as Error).message] };
  }
  const present = new Set((await listFiles(dir).catch(() => [] as string[])).filter((f) => f !== EXPORT_MANIFEST));
  for (const [rel, expected] of Object.entries(manifest.files)) {
    if (!present.delete(rel)) {
      problems.push(`file "${path.join(dir, rel)}": listed in export.json but missing`);
      continue;
    }
    const actual = await digestFile(path.join(dir, rel)).catch(() => undefined);
    if (!actual || actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes) {
      problems.push(`file "${path.join(dir, rel)}": does not match its sha256 in export.json`);
    }
  }
  for (const rel of present) problems.push(`file "${path.join(dir, rel)}": not listed in export.json`);
  return { dir, ok: problems.length === 0, problems };
}

/** Throws unless the given files of a version match their digests: what restore checks before loading. */
export async function assertFilesIntact(dir: string, manifest: ExportManifest, files: readonly string[]): Promise<void> {
  for (const rel of files) {
    const expected = manifest.files[rel];
    const file = path.join(dir, rel);
    if (!expected) throw new ModelportError('not listed in export.json', { file });
    const actual = await digestFile(file).catch((e: NodeJS.ErrnoException) => {
      throw new ModelportError(e.code === 'ENOENT' ? 'missing (the version was deleted meanwhile?)' : `cannot read: ${e.message}`, { file }, { cause: e });
    });
    if (actual.sha256 !== expected.sha256) throw new ModelportError('does not match its sha256 in export.json: the version is damaged', { file });
  }
}
