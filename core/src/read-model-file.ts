import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { ModelLoadError } from './errors.js';

const TWO_GB = 2 ** 31 - 1;
/**
 * The largest file each format can be: flatbuffers (.tflite) and protobufs (.onnx, saved_model.pb)
 * address at most 2 GB; a model.json holds the topology only (weights are in shards).
 */
export const MODEL_FILE_LIMITS: Readonly<Record<string, { readonly bytes: number; readonly format: string }>> = {
  '.tflite': { bytes: TWO_GB, format: 'a TFLite flatbuffer' },
  '.onnx': { bytes: TWO_GB, format: 'an ONNX protobuf' },
  '.pb': { bytes: TWO_GB, format: 'a protobuf (saved_model.pb)' },
  '.json': { bytes: 256 * 2 ** 20, format: 'a model.json (weights live in shards)' },
};
/** Any other model file: no Node buffer holds more. */
const DEFAULT_LIMIT = { bytes: TWO_GB, format: 'a model file' };

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Refuses, before a byte is read, what cannot be a model file: devices, pipes and sockets (also
 * through links: /dev/urandom never ends, a FIFO blocks) and files past their format's size limit.
 */
export async function checkModelFile(file: string): Promise<Stats> {
  let stat: Stats;
  try {
    stat = await fs.stat(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ModelLoadError(err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.code ?? err.message}`, { file });
  }
  if (!stat.isFile()) throw new ModelLoadError(`${kindOf(stat)}, not a model file`, { file });
  const limit = MODEL_FILE_LIMITS[path.extname(file).toLowerCase()] ?? DEFAULT_LIMIT;
  if (stat.size > limit.bytes) throw new ModelLoadError(`${stat.size} bytes, more than ${limit.format} can be (${limit.bytes} bytes)`, { file });
  return stat;
}

/** A model file's bytes; a missing, unreadable, special or oversized file is a ModelLoadError naming it. */
export async function readModelFile(file: string): Promise<Buffer>;
export async function readModelFile(file: string, encoding: 'utf8'): Promise<string>;
export async function readModelFile(file: string, encoding?: 'utf8'): Promise<Buffer | string> {
  await checkModelFile(file);
  try {
    return encoding ? await fs.readFile(file, encoding) : await fs.readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ModelLoadError(err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.message}`, { file });
  }
}
