import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXPORT_MANIFEST, listVersions, type ArtifactRecord, type FileDigest, type Signature } from '@modelport/core';
import { insideDir, isModelName } from './model-names.js';

/** What the server reads of an export.json. */
export interface ExportManifest {
  readonly model?: string;
  readonly version: number;
  readonly signatures: Readonly<Record<string, Signature>>;
  readonly targets: readonly ArtifactRecord[];
  readonly files?: Readonly<Record<string, FileDigest>>;
  /** A warm-up request saved with the export (same shape as warmup.json). */
  readonly warmup?: unknown;
}

/** A version directory with a complete export.json. */
export interface VersionOnDisk {
  readonly model: string;
  readonly version: number;
  readonly dir: string;
  readonly manifest: ExportManifest;
}

/** Model folders of the repository: directories whose names are model names (temp and hidden ones are not). */
export async function listModels(base: string): Promise<string[]> {
  const entries = await fs.readdir(base, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && isModelName(e.name)).map((e) => e.name).sort();
}

/**
 * Versions of one model that count: numeric folders with an export.json that parses and lists
 * targets. A folder still being copied (no or half an export.json) is not a version yet.
 */
export async function scanModel(base: string, model: string, cache = new ManifestCache()): Promise<VersionOnDisk[]> {
  const modelDir = path.join(base, model);
  const found: VersionOnDisk[] = [];
  for (const version of await listVersions(modelDir)) {
    const dir = path.join(modelDir, String(version));
    const manifest = await cache.read(dir);
    if (manifest) found.push({ model, version, dir, manifest });
  }
  return found;
}

/**
 * export.json files parsed at earlier scans, kept while their size and mtime stay the same: a poll
 * every second then costs a stat per version, not a read and a parse.
 */
export class ManifestCache {
  private readonly entries = new Map<string, { stamp: string; manifest: ExportManifest | undefined }>();

  async read(dir: string): Promise<ExportManifest | undefined> {
    const stat = await fs.stat(path.join(dir, EXPORT_MANIFEST)).catch(() => undefined);
    if (!stat) {
      this.entries.delete(dir);
      return undefined;
    }
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const known = this.entries.get(dir);
    if (known?.stamp === stamp && known.manifest) return known.manifest;
    const manifest = await readManifest(dir);
    this.entries.set(dir, { stamp, manifest });
    return manifest;
  }
}

export async function readManifest(dir: string): Promise<ExportManifest | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(path.join(dir, EXPORT_MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
  const m = json as Partial<ExportManifest>;
  if (!m || typeof m !== 'object' || !Array.isArray(m.targets) || m.targets.length === 0) return undefined;
  if (!m.signatures || typeof m.signatures !== 'object') return undefined;
  return m as ExportManifest;
}

/**
 * A cheap fingerprint of a version's files (export.json and each listed file: size and mtime):
 * a version that failed to load is tried again only once this changes, e.g. after a re-copy.
 */
export async function versionStamp(v: VersionOnDisk): Promise<string> {
  const files = [path.join(v.dir, EXPORT_MANIFEST), ...Object.keys(v.manifest.files ?? {}).map((f) => insideDir(v.dir, f) ?? '')];
  const parts = await Promise.all(files.map(async (f) => {
    const s = f ? await fs.stat(f).catch(() => undefined) : undefined;
    return s ? `${s.size}:${s.mtimeMs}` : '-';
  }));
  return parts.join('|');
}
