import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SCRATCH_DIR } from './paths.js';

/** A fresh folder under the repo's .tmp/ (so fixture packages resolve @modelport/* from node_modules). */
export async function scratchDir(prefix: string): Promise<string> {
  await fs.mkdir(SCRATCH_DIR, { recursive: true });
  return fs.mkdtemp(path.join(SCRATCH_DIR, `${prefix}-`));
}

/** Writes files given by relative path; objects are written as JSON. */
export async function writeTree(root: string, files: Record<string, string | object>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

/** Everything under `dir`, relative, for "nothing was left behind" checks. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) await walk(r);
    }
  };
  await walk('');
  return out.sort();
}
