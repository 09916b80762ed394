import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * What a case left in its folder that it must not: anything beside in/ (the inputs) and out/ (the
 * --out repository), and in out/<model>/ anything but complete versions (a number holding export.json).
 */
export async function misplacedFiles(dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of await fs.readdir(dir)) if (entry !== 'in' && entry !== 'out') problems.push(`file written outside --out: ${entry}`);
  const out = path.join(dir, 'out');
  for (const model of await fs.readdir(out).catch(() => [])) {
    const modelDir = path.join(out, model);
    if (!(await fs.stat(modelDir)).isDirectory()) { problems.push(`stray file in --out: ${model}`); continue; }
    for (const version of await fs.readdir(modelDir)) {
      const complete = /^\d+$/.test(version) && (await fs.stat(path.join(modelDir, version, 'export.json')).catch(() => undefined))?.isFile();
      if (!complete) problems.push(`partial version visible in --out: ${model}/${version}`);
    }
  }
  return problems;
}
