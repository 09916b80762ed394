import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXPORT_MANIFEST, listFiles } from './artifacts.js';
import type { ArtifactRecord } from './context.js';
import { ArtifactRecordError } from './errors.js';

const RECORD_SHAPE = '{ target, format, plugin, path, files }';

/** A path of a record, '/'-separated and relative to the version folder; undefined when it leaves it. */
function versionRelative(file: string): string | undefined {
  const normal = path.posix.normalize(file.replace(/\\/g, '/'));
  if (normal === '.' || normal.startsWith('../') || normal === '..' || path.posix.isAbsolute(normal) || /^[A-Za-z]:/.test(normal)) return undefined;
  return normal.replace(/\/$/, '');
}

function fieldProblems(record: Record<string, unknown>, target: string, writer: string | undefined): string[] {
  const problems: string[] = [];
  const nonEmpty = (key: string) => typeof record[key] === 'string' && (record[key] as string).length > 0;
  if (record.target !== target) problems.push(`target is ${JSON.stringify(record.target)}, not "${target}"`);
  if (!nonEmpty('format')) problems.push('format (the serve key of its runtime) is missing');
  if (!nonEmpty('plugin')) problems.push('plugin is missing');
  else if (writer && record.plugin !== writer) problems.push(`plugin is "${String(record.plugin)}", but "${writer}" wrote it`);
  if (!nonEmpty('path')) problems.push('path (the file a runtime opens) is missing');
  const files = record.files;
  if (!Array.isArray(files) || files.length === 0) problems.push('files (every file it wrote) is missing or empty');
  else {
    for (const f of files) {
      if (typeof f !== 'string' || versionRelative(f) === undefined) problems.push(`files entry ${JSON.stringify(f)} is not a path inside the version folder`);
    }
  }
  return problems;
}

async function isFile(file: string): Promise<boolean | 'folder'> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) return false;
  return stat.isDirectory() ? 'folder' : stat.isFile();
}

/**
 * Checks what the writeArtifact tap of `writer` returned for `target`: that there is a record, that
 * it has its fields and the right target, and that every file it lists (and its main path) is a
 * file in the version folder `dir`. Returns the record with its paths normalised; throws an
 * ArtifactRecordError naming plugin, target and files otherwise.
 */
export async function checkArtifactRecord(target: string, writer: string | undefined, value: unknown, dir: string): Promise<ArtifactRecord> {
  const where = { plugin: writer, target };
  if (value === undefined || value === null) {
    const what = writer
      ? `returned no ArtifactRecord, so nothing wrote target "${target}"` // the error's prefix names the plugin
      : `no exporter wrote target "${target}": no plugin tapped writeArtifact for it`;
    throw new ArtifactRecordError(`${what}; the tap must return ${RECORD_SHAPE} naming the files it wrote`, where);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ArtifactRecordError(`returned ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not an ArtifactRecord ${RECORD_SHAPE}`, where);
  }
  const raw = value as Record<string, unknown>;
  const problems = fieldProblems(raw, target, writer);
  if (problems.length) throw new ArtifactRecordError(`the ArtifactRecord it returned is malformed: ${problems.join('; ')}; return ${RECORD_SHAPE}`, where);

  const record = raw as unknown as ArtifactRecord;
  const files = [...new Set(record.files.map((f) => versionRelative(f)!))];
  const missing: string[] = [];
  const folders: string[] = [];
  for (const f of files) {
    const kind = await isFile(path.join(dir, f));
    if (kind === 'folder') folders.push(f); else if (!kind) missing.push(f);
  }
  const main = versionRelative(record.path);
  if (main === undefined) missing.push(record.path);
  else if (!files.includes(main) && !(await isFile(path.join(dir, main)))) missing.push(main);
  if (missing.length) {
    const list = missing.map((f) => `"${f}"`).join(', ');
    throw new ArtifactRecordError(`its ArtifactRecord lists ${missing.length} file(s) that are not in the version folder: ${list}; `
      + 'write them under the folder given as context.dir, or leave them out of the record (nothing was published)', { ...where, file: missing[0] });
  }
  if (folders.length) {
    throw new ArtifactRecordError(`its ArtifactRecord lists folder(s) where files belong: ${folders.map((f) => `"${f}"`).join(', ')}; list each file in them, so that each is hashed (nothing was published)`, { ...where, file: folders[0] });
  }
  return { ...record, path: main!, files };
}

/** Files in the version folder that no record lists (export.json aside): kept and hashed, but worth a note. */
export async function unlistedFiles(dir: string, records: readonly ArtifactRecord[]): Promise<string[]> {
  const listed = new Set(records.flatMap((r) => r.files));
  return (await listFiles(dir)).filter((f) => f !== EXPORT_MANIFEST && !listed.has(f));
}
