import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { EXPORT_MANIFEST, type ArtifactRecord, type FileDigest, type Signature } from '@modelport/core';
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

/** Says why a folder of the repository is not served (a link that leaves it, a dangling link). */
export type SkipReporter = (folder: string, why: string) => void;

/**
 * Whether a folder entry counts: a directory, or a link that resolves to a directory inside the
 * repository (its real path, links followed). Links that leave the repository, dangle or name a
 * file are skipped and reported.
 */
async function isServedFolder(base: string, parent: string, entry: Dirent, skipped?: SkipReporter): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  const rel = path.relative(base, path.join(parent, entry.name));
  const [root, target] = await Promise.all([fs.realpath(base), fs.realpath(path.join(parent, entry.name))].map((p) => p.catch(() => undefined)));
  if (!root || !target) {
    skipped?.(rel, 'it is a link to nothing (dangling)');
    return false;
  }
  if (!insideDir(root, target)) {
    skipped?.(rel, 'it is a link that resolves outside the repository');
    return false;
  }
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat?.isDirectory()) {
    skipped?.(rel, 'it is a link to something that is not a folder');
    return false;
  }
  return true;
}

/** Model folders of the repository: directories (or links to directories inside it) whose names are model names (temp and hidden ones are not). */
export async function listModels(base: string, skipped?: SkipReporter): Promise<string[]> {
  const entries = await fs.readdir(base, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const e of entries) if (isModelName(e.name) && await isServedFolder(base, base, e, skipped)) names.push(e.name);
  return names.sort();
}

/** Numeric version folders of a model (or links to folders inside the repository), oldest first. */
async function listVersions(base: string, modelDir: string, skipped?: SkipReporter): Promise<number[]> {
  const entries = await fs.readdir(modelDir, { withFileTypes: true }).catch(() => []);
  const versions: number[] = [];
  for (const e of entries) if (/^\d+$/.test(e.name) && await isServedFolder(base, modelDir, e, skipped)) versions.push(Number(e.name));
  return versions.sort((a, b) => a - b);
}

/**
 * Versions of one model that count: numeric folders with an export.json that parses and lists
 * targets. A folder still being copied (no or half an export.json) is not a version yet.
 */
export async function scanModel(base: string, model: string, cache = new ManifestCache(), skipped?: SkipReporter): Promise<VersionOnDisk[]> {
  const modelDir = path.join(base, model);
  const entry = (await fs.readdir(base, { withFileTypes: true }).catch(() => [])).find((e) => e.name === model);
  if (!entry || !await isServedFolder(base, base, entry, skipped)) return [];
  const found: VersionOnDisk[] = [];
  for (const version of await listVersions(base, modelDir, skipped)) {
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
