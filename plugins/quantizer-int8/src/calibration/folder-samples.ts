import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OptionsError } from '@modelport/core';
import { IMAGE_EXTENSIONS } from './decode-image.js';
import { imageSource, type Normalize } from './image-samples.js';
import { npyFileSource, npyFolderSource } from './npy-samples.js';
import type { CalibrationInput, SampleSource } from './types.js';

const isImage = (f: string) => IMAGE_EXTENSIONS.some((ext) => f.toLowerCase().endsWith(ext));
const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The samples of a calibration folder, in name order: images (.png, .jpg), or .npy files, or
 * subfolders of NAME.npy files (one per sample). Hidden files and other extensions are ignored.
 */
export async function folderSource(dir: string, inputs: readonly CalibrationInput[], normalize: Normalize): Promise<SampleSource> {
  const entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  const files = entries.filter((e) => e.isFile()).map((e) => e.name);
  const images = files.filter(isImage).sort(byName);
  const npys = files.filter((f) => f.endsWith('.npy')).sort(byName);
  const folders: string[] = [];
  for (const e of entries.filter((x) => x.isDirectory())) {
    const inside = await fs.readdir(path.join(dir, e.name));
    if (inside.some((f) => f.endsWith('.npy'))) folders.push(e.name);
  }
  folders.sort(byName);
  const kinds = [images.length && 'images', npys.length && '.npy files', folders.length && 'subfolders of .npy files'].filter(Boolean);
  if (kinds.length === 0) throw new OptionsError('the calibration folder is empty: it holds no .png, .jpg or .npy file, nor subfolders of .npy files', { file: dir });
  if (kinds.length > 1) throw new OptionsError(`the calibration folder mixes ${kinds.join(' and ')}: keep one kind of sample`, { file: dir });
  if (images.length) return imageSource(dir, images, inputs, normalize);
  if (npys.length) return npyFileSource(dir, npys, inputs);
  return npyFolderSource(dir, folders, inputs);
}
