import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/dist/support → ../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CORPUS_DIR = path.join(REPO_ROOT, '.corpus', 'models');
export const CLI_BIN = path.join(REPO_ROOT, 'cli', 'dist', 'src', 'bin.js');
export const EXAMPLE_MODEL = path.join(REPO_ROOT, 'examples', 'tiny-cnn', 'model.json');
/** Scratch space inside the repo (gitignored), so that fixture packages resolve @modelport/* from node_modules. */
export const SCRATCH_DIR = path.join(REPO_ROOT, '.tmp');
