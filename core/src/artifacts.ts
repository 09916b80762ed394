import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModelportError } from './errors.js';
import { removeStaleTempDirs, tempVersionPrefix } from './stale-temp-dirs.js';

export const ArtifactStoreId = Symbol.for('modelport.ArtifactStore');
export const EXPORT_MANIFEST = 'export.json';

export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
}

export interface CommittedVersion {
  readonly version: number;
  readonly dir: string;
  /** Digest of every file of the version but export.json, by relative path. */
  readonly files: Readonly<Record<string, FileDigest>>;
}

/** A version being written: files go into `dir`, which becomes `<model>/<version>/` on commit. */
export interface PendingVersion {
  readonly dir: string;
  readonly modelDir: string;
  /** Temp folders of killed exports removed from the repository before this one began, relative to it. */
  readonly staleTempDirsRemoved: readonly string[];
  /** Writes export.json (with `files` digests and `version` filled in), syncs, renames into place. */
  commit(manifest: Record<string, unknown>, version?: number): Promise<CommittedVersion>;
  /** Removes the temp directory; earlier versions are never touched. */
  abort(): Promise<void>;
}

/** Numeric version directories of a model, ascending. Temp and other directories are ignored. */
export async function listVersions(modelDir: string): Promise<number[]> {
  const entries = await fs.readdir(modelDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^\d+$/.test(e.name)).map((e) => Number(e.name)).sort((a, b) => a - b);
}

/** Every file under `dir`, as paths relative to it with '/' separators, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r); else out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

export async function digestFile(file: string): Promise<FileDigest> {
  const data = await fs.readFile(file);
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.byteLength };
}

async function syncPath(p: string): Promise<void> {
  const handle = await fs.open(p, 'r');
  try { await handle.sync(); } finally { await handle.close(); }
}

/** Temp files of writeFileAtomic: `<file>.<pid>.<random hex>.tmp`; group 1 is the writer's pid (for leftover cleaners). */
export const ATOMIC_TEMP_FILE = /^.+\.(\d+)\.[0-9a-f]+\.tmp$/;

/** Writes a file atomically: a temp file beside it, fsync, rename. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, data);
    await syncPath(temp);
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

/**
 * The model repository on disk: `<out>/<model>/<version>/`, the layout TF Serving and Triton read.
 * A version is written in a temp directory beside the versions and renamed into place only when
 * complete, so readers never see half a version and a failed export leaves nothing behind.
 */
export class ArtifactStore {
  async begin(out: string, model: string): Promise<PendingVersion> {
    const modelDir = path.resolve(out, model);
    const staleTempDirsRemoved = await removeStaleTempDirs(path.resolve(out));
    await fs.mkdir(modelDir, { recursive: true });
    // Named after this process and machine, so that the next export can tell a killed one's folder.
    const dir = await fs.mkdtemp(path.join(modelDir, tempVersionPrefix()));
    // mkdtemp makes it private (0700); a version must be readable by a server running as another user.
    await fs.chmod(dir, 0o755 & ~process.umask());
    let done = false;
    return {
      dir, modelDir, staleTempDirsRemoved,
      commit: async (manifest, requested) => {
        if (done) throw new Error('version already committed or aborted');
        const files: Record<string, FileDigest> = {};
        for (const rel of await listFiles(dir)) {
          if (rel === EXPORT_MANIFEST) continue;
          files[rel] = await digestFile(path.join(dir, rel));
          await syncPath(path.join(dir, rel));
        }
        // Versions taken by a concurrent writer make the rename fail: take the next one.
        for (let attempt = 0; attempt < 100; attempt++) {
          const existing = await listVersions(modelDir);
          const version = requested ?? (existing.length ? existing[existing.length - 1]! + 1 : 1);
          if (requested !== undefined && existing.includes(requested)) {
            await this.remove(dir);
            done = true;
            throw new ModelportError(`version ${requested} of "${path.basename(modelDir)}" exists already; choose another or omit --version`, { file: path.join(modelDir, String(requested)) });
          }
          await fs.writeFile(path.join(dir, EXPORT_MANIFEST), `${JSON.stringify({ ...manifest, version, files }, null, 2)}\n`);
          await syncPath(path.join(dir, EXPORT_MANIFEST));
          await syncPath(dir);
          try {
            await fs.rename(dir, path.join(modelDir, String(version)));
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if ((code === 'EEXIST' || code === 'ENOTEMPTY') && requested === undefined) continue;
            throw e;
          }
          await syncPath(modelDir);
          done = true;
          return { version, dir: path.join(modelDir, String(version)), files };
        }
        throw new ModelportError('could not find a free version number after 100 attempts', { file: modelDir });
      },
      abort: async () => {
        if (done) return;
        done = true;
        await this.remove(dir);
        await fs.rmdir(modelDir).catch(() => undefined); // only if empty: a model dir this export created
      },
    };
  }

  private async remove(dir: string): Promise<void> {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
